import type pg from 'pg'

// Index advice needs tables large enough that an index beats a sequential scan: FluxStudio's users, messages and
// notifications (with the schema's own indexes), and two tables of this suite's own without any secondary index.

const uuid = (prefix: string, i: string) => `('${prefix}-0000-4000-8000-' || lpad(to_hex(${i}), 12, '0'))::uuid`
export const userId = (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`
export const conversationId = (i: number) => `20000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`

export const USERS = 20_000
export const CONVERSATIONS = 200
export const ORDERS = 100_000
export const CUSTOMERS = 10_000

export async function loadAdviseFixture(client: pg.Client): Promise<void> {
  await client.query(`
    CREATE EXTENSION IF NOT EXISTS hypopg;
    INSERT INTO users (id, email, name, user_type, phone, timezone, last_login, is_active, preferences)
    SELECT ${uuid('00000000', 'i')}, 'u' || i || '@advise.test', 'User ' || i, (ARRAY['client', 'designer', 'admin'])[1 + i % 3],
           '+1555' || lpad(i::text, 7, '0'), (ARRAY['UTC', 'Europe/Berlin', 'America/New_York'])[1 + i % 3],
           now() - i * interval '1 minute', i % 20 <> 0, jsonb_build_object('theme', CASE WHEN i % 2 = 0 THEN 'dark' ELSE 'light' END)
    FROM generate_series(1, ${USERS}) i;
    INSERT INTO organizations (id, name, slug, type)
    SELECT ${uuid('10000000', 'i')}, 'Org ' || i, 'advise-org-' || i, 'university' FROM generate_series(1, 20) i;
    INSERT INTO conversations (id, organization_id, name)
    SELECT ${uuid('20000000', 'i')}, ${uuid('10000000', '1 + i % 20')}, 'Conversation ' || i FROM generate_series(1, ${CONVERSATIONS}) i;
    INSERT INTO messages (conversation_id, author_id, content, status, thread_id, deleted_at, created_at)
    SELECT ${uuid('20000000', '1 + i % ' + CONVERSATIONS)}, ${uuid('00000000', '1 + i % ' + USERS)}, 'message ' || i, (ARRAY['sent', 'delivered', 'read'])[1 + i % 3],
           CASE WHEN i % 100 = 0 THEN ${uuid('30000000', 'i')} END, CASE WHEN i % 50 = 0 THEN now() END, now() - i * interval '1 second'
    FROM generate_series(1, ${ORDERS}) i;
    INSERT INTO notifications (user_id, type, title, is_read, created_at)
    SELECT ${uuid('00000000', '1 + i % ' + USERS)}, 'type_' || (i % 10), 'Title ' || i, i % 3 = 0, now() - ((i * 7919) % 50000) * interval '1 minute'
    FROM generate_series(1, 50000) i;
    CREATE TABLE advise_customers (id int PRIMARY KEY, email text NOT NULL, name text NOT NULL, segment text NOT NULL);
    INSERT INTO advise_customers SELECT i, 'c' || i || '@shop.test', 'Customer ' || i, 's' || (i % 100) FROM generate_series(1, ${CUSTOMERS}) i;
    CREATE TABLE advise_orders (
        id bigint PRIMARY KEY, customer_id int NOT NULL, state text NOT NULL, region text NOT NULL, order_ref text NOT NULL,
        placed_at timestamptz NOT NULL, shipped_at timestamptz, amount numeric(10, 2) NOT NULL, tags text[] NOT NULL, payload jsonb NOT NULL);
    INSERT INTO advise_orders
    SELECT i, 1 + (i * 7) % ${CUSTOMERS}, (ARRAY['new', 'paid', 'packed', 'shipped', 'returned'])[1 + i % 5], 'r' || (i / 200), 'ORD-' || i,
           now() - i * interval '1 minute', CASE WHEN i % 100 <> 0 THEN now() END, (i % 1000) / 10.0, ARRAY['t' || (i % 20)], jsonb_build_object('k', i % 100)
    FROM generate_series(1, ${ORDERS}) i;
    ANALYZE users, organizations, conversations, messages, notifications, advise_customers, advise_orders`)
}

export interface AdviseCase {
  name: string
  sql: string
  params: (i: number) => unknown[]
  /** `schema.table(columns)` as stats advise prints it, a pattern for it, or null: no index helps. */
  expect: string | RegExp | null
}

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000)

/** Twenty-odd statement shapes and the index each one should get (or none). */
export const CASES: AdviseCase[] = [
  {
    name: 'equality on an unindexed column',
    sql: 'SELECT id, name FROM users WHERE phone = $1',
    params: (i) => [`+1555${String(1 + i * 13).padStart(7, '0')}`],
    expect: 'public.users(phone)',
  },
  {
    name: 'range with ORDER BY DESC LIMIT',
    sql: 'SELECT id, last_login FROM users WHERE last_login > $1 ORDER BY last_login DESC LIMIT $2',
    params: (i) => [minutesAgo(60 + i), 10],
    expect: 'public.users(last_login DESC)',
  },
  {
    name: 'equality an existing index covers',
    sql: 'SELECT id, name FROM users WHERE email = $1',
    params: (i) => [`u${i + 1}@advise.test`],
    expect: null,
  },
  {
    name: 'a function of a column',
    sql: 'SELECT id FROM users WHERE upper(name) = $1',
    params: (i) => [`USER ${i}`],
    expect: null,
  },
  {
    name: 'jsonb containment',
    sql: 'SELECT count(*) FROM users WHERE preferences @> $1',
    params: () => ['{"theme": "dark"}'],
    expect: null,
  },
  {
    name: 'equality and ORDER BY DESC LIMIT on messages',
    sql: 'SELECT id, content FROM messages WHERE conversation_id = $1 ORDER BY created_at DESC LIMIT $2',
    params: (i) => [conversationId(1 + (i % 200)), 20],
    expect: 'public.messages(conversation_id, created_at DESC)',
  },
  {
    name: 'equality on an indexed foreign key',
    sql: 'SELECT id FROM messages WHERE author_id = $1 AND status = $2',
    params: (i) => [userId(1 + i), 'read'],
    expect: null,
  },
  {
    name: 'equality on a sparse column',
    sql: 'SELECT id FROM messages WHERE thread_id = $1',
    params: (i) => [`30000000-0000-4000-8000-${(100 * (i + 1)).toString(16).padStart(12, '0')}`],
    expect: 'public.messages(thread_id)',
  },
  {
    name: 'IS NULL on most rows',
    sql: 'SELECT count(*) FROM messages WHERE deleted_at IS NULL',
    params: () => [],
    expect: null,
  },
  {
    name: 'two equalities an existing index covers',
    sql: 'SELECT id FROM notifications WHERE user_id = $1 AND is_read = $2',
    params: (i) => [userId(1 + i), false],
    expect: null,
  },
  {
    name: 'equality then range',
    sql: 'SELECT id, title FROM notifications WHERE type = $1 AND created_at >= $2',
    params: (i) => [`type_${i % 10}`, minutesAgo(600)],
    expect: 'public.notifications(type, created_at)',
  },
  {
    name: 'DESC sort an existing index serves backwards',
    sql: 'SELECT id FROM security_events WHERE event_type = $1 ORDER BY created_at DESC LIMIT $2',
    params: () => ['admin.none', 10],
    expect: null,
  },
  {
    name: 'two equalities, most selective first',
    sql: 'SELECT id, amount FROM advise_orders WHERE state = $1 AND customer_id = $2',
    params: (i) => ['paid', 1 + i * 17],
    expect: /^public\.advise_orders\(customer_id, state/,
  },
  {
    name: 'equality then ORDER BY DESC LIMIT',
    sql: 'SELECT id, placed_at FROM advise_orders WHERE customer_id = $1 ORDER BY placed_at DESC LIMIT $2',
    params: (i) => [1 + i * 31, 5],
    expect: 'public.advise_orders(customer_id, placed_at DESC)',
  },
  {
    name: 'IN list on clustered values',
    sql: 'SELECT id FROM advise_orders WHERE region IN ($1, $2)',
    params: (i) => [`r${i % 500}`, `r${(i + 7) % 500}`],
    expect: 'public.advise_orders(region)',
  },
  {
    name: 'IS NULL on a few rows',
    sql: 'SELECT id, placed_at FROM advise_orders WHERE shipped_at IS NULL',
    params: () => [],
    expect: 'public.advise_orders(shipped_at)',
  },
  {
    name: 'a range on a correlated column',
    sql: 'SELECT id, amount FROM advise_orders WHERE placed_at BETWEEN $1 AND $2',
    params: (i) => [minutesAgo(5000 + i * 10), minutesAgo(4000 + i * 10)],
    expect: 'public.advise_orders(placed_at)',
  },
  {
    name: 'mixed sort directions',
    sql: 'SELECT id FROM advise_orders WHERE state = $1 ORDER BY amount DESC, id LIMIT $2',
    params: (i) => [['new', 'paid', 'packed'][i % 3], 10],
    expect: 'public.advise_orders(state, amount DESC, id)',
  },
  {
    name: 'a join on an unindexed key',
    sql: 'SELECT o.id, o.amount FROM advise_customers c JOIN advise_orders o ON o.customer_id = c.id WHERE c.email = $1',
    params: (i) => [`c${1 + i * 3}@shop.test`],
    expect: /^public\.advise_orders\(customer_id/,
  },
  {
    name: 'an UPDATE by an unindexed key',
    sql: 'UPDATE advise_orders SET amount = amount WHERE order_ref = $1',
    params: (i) => [`ORD-${1 + i * 101}`],
    expect: 'public.advise_orders(order_ref)',
  },
  {name: 'the primary key', sql: 'SELECT * FROM advise_orders WHERE id = $1', params: (i) => [1 + i], expect: null},
  {
    name: 'array overlap',
    sql: 'SELECT count(*) FROM advise_orders WHERE tags && $1',
    params: () => ['{t1}'],
    expect: null,
  },
  {
    name: 'jsonb field equality',
    sql: 'SELECT count(*) FROM advise_orders WHERE payload ->> $2 = $1',
    params: (i) => [String(i % 100), 'k'],
    expect: null,
  },
  {
    name: 'a whole-table aggregate',
    sql: 'SELECT state, count(*) FROM advise_orders GROUP BY state',
    params: () => [],
    expect: null,
  },
]

/** Runs every case `times` times. */
export async function runWorkload(client: pg.Client, times = 12): Promise<void> {
  for (let i = 0; i < times; i++) for (const c of CASES) await client.query(c.sql, c.params(i))
}
