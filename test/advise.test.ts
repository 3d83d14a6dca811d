import test from 'ava'
import {adviseIndexes} from '../src/advise/advise.js'
import {parseConjunct} from '../src/advise/predicates.js'
import {checkStatementText} from '../src/stats/statement-text.js'
import {takeSnapshot} from '../src/stats/snapshots.js'
import {runCli} from './helpers/cli.js'
import {fileDb, freshDb, type TestDb} from './helpers/db.js'
import {CASES, loadAdviseFixture, runWorkload} from './advise-fixture.js'

// pg_stat_statements is shared by the test server's databases: advise reads this database's statements only (dbid).

async function advise(db: TestDb, args: string[] = []) {
  const result = await runCli(['stats', 'advise', '--db-url', db.url, '--format', 'json', ...args], {
    timeoutMs: 120_000,
  })
  return {
    ...result,
    rows:
      result.code === 0 && result.stdout.trim() ? (JSON.parse(result.stdout) as Array<Record<string, unknown>>) : [],
  }
}

async function queryidOf(db: TestDb, text: string): Promise<string | undefined> {
  const {rows} = await db.pg.query(
    'SELECT queryid::text FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query = $1',
    [text],
  )
  return rows[0]?.queryid
}

const shared = test.serial

const fixture = fileDb(test, async (db) => {
  await loadAdviseFixture(db.pg)
  // Write rates count from the last snapshot: the bulk load before it is not the workload's.
  await takeSnapshot(await db.session())
  await runWorkload(db.pg)
})

shared(
  'the workload of 24 shapes gets exactly the expected indexes, each proven by a hypothetical index and ranked by time saved',
  async (t) => {
    const db = fixture()
    const started = Date.now()
    const result = await advise(db, ['--min-calls', '10'])
    t.is(result.code, 0, result.stderr)
    t.log(`advise over ${CASES.length} statements: ${Date.now() - started} ms (process included)`)
    const byQueryid = new Map<string, Record<string, unknown>>()
    for (const row of result.rows) for (const q of row.queryids as string[]) byQueryid.set(q, row)
    const got: Record<string, string | null> = {}
    const want: Record<string, string | null> = {}
    for (const c of CASES) {
      const queryid = await queryidOf(db, c.sql)
      t.truthy(queryid, `${c.name} is in pg_stat_statements`)
      const row = byQueryid.get(queryid!)
      const index = row ? `${row.table_name}(${row.columns})` : null
      got[c.name] = index
      want[c.name] = c.expect instanceof RegExp ? (index && c.expect.test(index) ? index : String(c.expect)) : c.expect
    }
    t.deepEqual(got, want)
    for (const row of result.rows) {
      t.regex(String(row.index_statement), /^CREATE INDEX CONCURRENTLY \S+ ON public\.\w+ \(.+\)$/)
      t.true(Number(row.saving_pct) >= 50, `${row.index_statement}: ${row.saving_pct} %`)
      t.true(Number(row.cost_after) < Number(row.cost_before))
      t.true(Number(row.index_bytes) > 0 && Number(row.writes_per_min) >= 0 && Number(row.write_ms_per_day) >= 0)
      t.regex(String(row.write_window), /^since snapshot #\d+$/)
      t.regex(
        String(row.method),
        /^(plain|prepared_generic|generic_plan|mcv)(,(plain|prepared_generic|generic_plan|mcv))*$/,
      )
    }
    const savings = result.rows.map((r) => Number(r.saving_ms_per_day))
    t.deepEqual(
      savings,
      [...savings].sort((a, b) => b - a),
      'ranked by time saved per day',
    )
    t.deepEqual(
      result.rows.map((r) => r.rank),
      result.rows.map((_, i) => i + 1),
    )
    t.true(
      result.rows.some((r) => r.method === 'mcv'),
      'LIMIT $n makes the generic plan mislead: common values used',
    )
    t.regex(result.stderr, /fluxadmin: \d+ statements examined, \d+ indexes suggested/)

    // --min-saving raises the bar: 100 % is more than any index saves.
    const strict = await advise(db, ['--min-calls', '10', '--min-saving', '100'])
    t.is(strict.code, 0, strict.stderr)
    t.deepEqual(strict.rows, [])
  },
)

shared(
  'one statement: --queryid (negative ids too), --query, CSV output; hypothetical indexes never outlive the run',
  async (t) => {
    const db = fixture()
    const phone = await queryidOf(db, CASES[0].sql)
    const one = await advise(db, [`--queryid=${phone}`])
    t.is(one.code, 0, one.stderr)
    t.is(one.rows.length, 1)
    t.deepEqual(one.rows[0].queryids, [phone])
    const csv = await runCli(['stats', 'advise', '--db-url', db.url, '--format', 'csv', `--queryid=${phone}`])
    t.is(csv.code, 0, csv.stderr)
    t.regex(
      csv.stdout.split('\n')[0],
      /^rank,index_statement,table_name,columns,statements,queryids,method,cost_before,cost_after,saving_pct,/,
    )
    t.regex(csv.stdout, /CREATE INDEX CONCURRENTLY users_phone_idx ON public\.users \(phone\)/)

    const text = await advise(db, ['--query', 'SELECT * FROM advise_orders WHERE order_ref = $1 AND state = $2'])
    t.is(text.code, 0, text.stderr)
    t.like(text.rows[0], {table_name: 'public.advise_orders', columns: 'order_ref', saving_ms_per_day: null})

    const session = await db.session()
    const result = await adviseIndexes(session, {queryid: phone})
    t.is(result.suggestions.length, 1)
    const {
      rows: [{count}],
    } = await session.client.query('SELECT count(*)::int AS count FROM hypopg_list_indexes')
    t.is(count, 0, 'no hypothetical index left in the session')
    const {rows: invalid} = await db.pg.query(
      "SELECT indexrelid::regclass::text AS name FROM pg_index JOIN pg_class c ON c.oid = indexrelid WHERE c.relname LIKE '%phone%'",
    )
    t.deepEqual(invalid, [], 'nothing created')
  },
)

shared('bad input: exit 2 with a hint, nothing run', async (t) => {
  const db = fixture()
  const cases: Array<[string[], RegExp]> = [
    [
      ['--queryid=-1'],
      /^Error: no statement with queryid -1 in pg_stat_statements\nHint: find one with `fluxadmin stats top`/,
    ],
    [['--queryid', 'abc'], /^Error: invalid queryid "abc"/],
    [['--min-saving', '150'], /^Error: invalid --min-saving: must be a number from 0 to 100/],
    [
      ['--query', 'SELECT 1; DROP TABLE advise_orders'],
      /^Error: --query takes one statement; this text holds more than one/,
    ],
    [
      ['--query', 'CREATE TABLE advise_should_not_exist (a int)'],
      /^Error: --query takes a SELECT, INSERT, UPDATE or DELETE statement, not CREATE/,
    ],
    [
      ['--query', 'SELECT * FROM advise_no_such_table WHERE a = $1'],
      /^Error: this statement cannot be planned: relation "advise_no_such_table" does not exist/,
    ],
    [
      ['--query', 'SELECT 1', '--queryid', '5'],
      /^Error: --queryid=5 cannot also be provided when using --query|cannot also be provided/,
    ],
  ]
  for (const [args, message] of cases) {
    const result = await runCli(['stats', 'advise', '--db-url', db.url, ...args])
    t.is(result.code, 2, `${args.join(' ')}: ${result.stderr}`)
    t.regex(result.stderr, message, args.join(' '))
    t.is(result.stdout, '')
  }
  const {rows} = await db.pg.query(
    "SELECT to_regclass('advise_orders') IS NOT NULL AS orders, to_regclass('advise_should_not_exist') IS NULL AS none",
  )
  t.deepEqual(rows[0], {orders: true, none: true})
})

test('without HypoPG: exit 2, and the hint says how to create it and that it needs a superuser', async (t) => {
  const plain = await freshDb(t)
  await plain.pg.query('CREATE ROLE advise_plain LOGIN PASSWORD $$plain-pw$$')
  t.teardown(() => plain.pg.query('DROP OWNED BY advise_plain; DROP ROLE advise_plain').catch(() => {}))
  await plain.pg.query('GRANT pg_read_all_stats TO advise_plain')
  const superuser = await runCli(['stats', 'advise', '--db-url', plain.url])
  t.is(superuser.code, 2)
  t.regex(
    superuser.stderr,
    new RegExp(
      `^Error: stats advise proves each index with a hypothetical one, and the extension hypopg 1\\.\\S+ is not created in database "${plain.name}"\\nHint: as a superuser \\(you are one\\), run in "${plain.name}": CREATE EXTENSION hypopg;`,
    ),
  )
  const url = new URL(plain.url)
  url.username = 'advise_plain'
  url.password = 'plain-pw'
  const role = await runCli(['stats', 'advise', '--db-url', url.toString()])
  t.is(role.code, 2)
  t.regex(
    role.stderr,
    /Hint: CREATE EXTENSION hypopg needs a superuser: ask one to run in "t_\w+": CREATE EXTENSION hypopg;/,
  )
})

test('plan expressions as predicates: casts of varchar, IN lists, IS NULL, flipped ranges, joins; never functions, OR or jsonb operators', (t) => {
  const aliases = new Set(['m', 'c'])
  t.deepEqual(parseConjunct("((m.status)::text = 'read'::text)", aliases), [
    {alias: 'm', column: 'status', kind: 'eq', op: '=', params: []},
  ])
  t.deepEqual(parseConjunct('(m.author_id = ANY (ARRAY[$2, $3]))', aliases), [
    {alias: 'm', column: 'author_id', kind: 'in', op: '=', params: [2, 3]},
  ])
  t.deepEqual(parseConjunct('(m.deleted_at IS NULL)', aliases), [
    {alias: 'm', column: 'deleted_at', kind: 'null', op: 'IS NULL', params: []},
  ])
  t.deepEqual(parseConjunct('($1 < m.created_at)', aliases), [
    {alias: 'm', column: 'created_at', kind: 'range', op: '>', params: [1]},
  ])
  t.deepEqual(
    parseConjunct('(m.conversation_id = c.id)', aliases).map((p) => `${p.alias}.${p.column}:${p.kind}`),
    ['m.conversation_id:join', 'c.id:join'],
  )
  for (const none of [
    '(lower((m.content)::text) = $1)',
    '((m.a = 1) OR (m.b = 2))',
    "(m.metadata @> '{}'::jsonb)",
    '((m.created_at)::date = $1)',
    '(m.a <> $1)',
  ]) {
    t.deepEqual(parseConjunct(none, aliases), [], none)
  }
  t.is(
    checkStatementText("SELECT ';' FROM users -- ; not a second one\n;  ", '--query'),
    "SELECT ';' FROM users -- ; not a second one",
  )
  t.throws(() => checkStatementText('SELECT 1; SELECT 2', '--query'), {message: /takes one statement/})
  t.throws(() => checkStatementText('VACUUM users', '--query'), {message: /not VACUUM/})
})
