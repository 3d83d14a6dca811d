import test from 'ava'
import {countMessages, searchMessages} from '../src/search/messages.js'
import {fitSnippet} from '../src/search/search-flags.js'
import {runCli} from './helpers/cli.js'
import {freshDb, type TestDb} from './helpers/db.js'

// Two organizations that use the same words: nothing of one may ever show up in a search scoped to the other.
interface Fixture {
  db: TestDb
  acme: string
  globex: string
  ana: string
  general: string
  ids: Record<string, string>
}

let fixture: Fixture
let dropDb: () => Promise<void> = async () => {}
test.before(async () => {
  fixture = await setup()
})
test.after.always(() => dropDb())

async function setup(): Promise<Fixture> {
  const db = await freshDb({
    after: {
      always: (fn) => {
        dropDb = fn
      },
    },
  })
  const q = async (text: string, params: unknown[] = []) => (await db.pg.query(text, params)).rows
  const [ana, bob, cid] = (
    await q(`INSERT INTO users (email, name, user_type) VALUES
      ('ana@acme.example', 'Ana', 'designer'), ('bob@globex.example', 'Bob', 'client'), ('Cid@Acme.example', 'Cid', 'client') RETURNING id`)
  ).map((r) => r.id)
  const [acme, globex] = (
    await q(
      `INSERT INTO organizations (name, slug, type) VALUES ('Acme', 'acme', 'studio'), ('Globex', 'globex', 'studio') RETURNING id`,
    )
  ).map((r) => r.id)
  const [general, design, gx] = (
    await q(
      `INSERT INTO conversations (organization_id, name) VALUES ($1, 'General'), ($1, 'Design'), ($2, 'Globex chat') RETURNING id`,
      [acme, globex],
    )
  ).map((r) => r.id)
  const ids: Record<string, string> = {}
  const add = async (
    key: string,
    conv: string,
    author: string,
    content: string,
    extra: {at?: string; type?: string; deleted?: boolean} = {},
  ) => {
    const [row] = await q(
      `INSERT INTO messages (conversation_id, author_id, content, message_type, created_at, deleted_at)
      VALUES ($1, $2, $3, $4, $5, CASE WHEN $6 THEN now() END) RETURNING id`,
      [conv, author, content, extra.type ?? 'text', extra.at ?? '2026-01-10T12:00:00Z', extra.deleted ?? false],
    )
    ids[key] = row.id
  }
  await add('phrase', general, ana, 'The final proof of the poster is ready for review', {at: '2026-01-05T10:00:00Z'})
  await add('scattered', general, ana, 'Proof that the final colours are right, poster attached', {
    at: '2026-01-06T10:00:00Z',
  })
  await add('invoice', design, cid, 'Invoice 42 for the logo is attached', {at: '2026-01-07T10:00:00Z', type: 'file'})
  await add('receipt', design, ana, 'Receipt for the logo sent to the client', {at: '2026-01-08T10:00:00Z'})
  await add('deleted', general, ana, 'Secret poster budget, please delete', {at: '2026-01-09T10:00:00Z', deleted: true})
  await add('globex-poster', gx, bob, 'Our poster and the final proof for Globex', {at: '2026-01-09T11:00:00Z'})
  await add('globex-invoice', gx, bob, 'Invoice for the poster print', {at: '2026-01-09T12:00:00Z'})
  await add('unicode', design, ana, 'Café crème brûlée: naïve façade, 日本語 テキスト', {at: '2026-01-09T13:00:00Z'})
  // 25 identical matches, 10 of them at the same instant: pages must break ties on id.
  for (let i = 0; i < 25; i++)
    await add(`batch${i}`, design, cid, 'Weekly storyboard rehearsal notes', {
      at: i < 10 ? '2026-01-03T00:00:00.123456Z' : `2026-01-02T00:00:${String(i).padStart(2, '0')}.000001Z`,
    })
  await q('ANALYZE')
  return {db, acme, globex, ana, general, ids}
}

async function cli(args: string[], input?: string) {
  const {db} = fixture
  return runCli(['search', 'messages', '--db-url', db.url, ...args], {input})
}

const json = (stdout: string) => JSON.parse(stdout) as Array<Record<string, unknown>>

test('phrase, or and exclusion follow web search syntax', async (t) => {
  const {ids} = fixture
  const ofQuery = async (text: string) => {
    const r = await cli([text, '--format', 'json'])
    t.is(r.code, 0, r.stderr)
    return json(r.stdout)
      .map((row) => row.message_id)
      .sort()
  }
  t.deepEqual(await ofQuery('"final proof"'), [ids.phrase, ids['globex-poster']].sort())
  t.deepEqual(await ofQuery('final proof'), [ids.phrase, ids.scattered, ids['globex-poster']].sort())
  t.deepEqual(await ofQuery('invoice or receipt'), [ids.invoice, ids.receipt, ids['globex-invoice']].sort())
  t.deepEqual(await ofQuery('poster -proof'), [ids['globex-invoice']])
})

test('rows carry id, time, org slug, conversation, author email, a marked snippet and a rank, best first', async (t) => {
  const {ids, general} = fixture
  const r = await cli(['final proof poster', '--org', 'acme', '--format', 'json'])
  t.is(r.code, 0, r.stderr)
  const rows = json(r.stdout)
  t.deepEqual(Object.keys(rows[0]), ['message_id', 'created_at', 'org', 'conversation', 'author', 'snippet', 'rank'])
  t.is(rows[0].message_id, ids.phrase, 'the phrase match ranks above the scattered words')
  t.is(rows[0].org, 'acme')
  t.is(rows[0].conversation, general)
  t.is(rows[0].author, 'ana@acme.example')
  t.is(rows[0].created_at, '2026-01-05T10:00:00.000Z')
  t.regex(rows[0].snippet as string, /\[\[final\]\] \[\[proof\]\] of the \[\[poster\]\]/)
  t.true((rows[0].rank as number) > (rows[1].rank as number))
  t.notRegex(r.stdout, /\u001B/, 'no ANSI escapes without a terminal')
  t.is(r.stderr, '', 'one page holds everything: no cursor')
})

test("--org never returns another organization's messages, by slug or by UUID", async (t) => {
  const {acme, globex, ids} = fixture
  for (const org of ['acme', acme]) {
    const r = await cli(['poster or invoice or proof', '--org', org, '--format', 'json', '--limit', '1000'])
    t.is(r.code, 0, r.stderr)
    const rows = json(r.stdout)
    t.deepEqual(rows.map((row) => row.message_id).sort(), [ids.phrase, ids.scattered, ids.invoice].sort())
    t.true(rows.every((row) => row.org === 'acme'))
  }
  const g = await cli(['poster', '--org', globex, '--format', 'csv'])
  t.is(g.code, 0, g.stderr)
  t.deepEqual(
    g.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[2]),
    ['globex', 'globex'],
  )
  const missing = await cli(['poster', '--org', 'initech'])
  t.is(missing.code, 4)
  t.regex(missing.stderr, /^Error: organization "initech" not found\nHint: /)
})

test('soft-deleted messages are excluded by default, included on request', async (t) => {
  const {db, ids} = fixture
  const session = await db.session()
  const plain = await searchMessages(session, {query: 'secret budget'})
  t.deepEqual(plain.rows, [])
  const all = await searchMessages(session, {query: 'secret budget', includeDeleted: true})
  t.deepEqual(
    all.rows.map((r) => r.message_id),
    [ids.deleted],
  )
  const bold = await searchMessages(session, {query: 'receipt', markers: {start: '\u001B[1m', stop: '\u001B[22m'}})
  t.is(
    bold.rows[0].snippet,
    '\u001B[1mReceipt\u001B[22m for the logo sent to the client',
    'the caller picks the markers (bold on a terminal)',
  )
  t.is(await countMessages(session, {query: 'poster'}), 4)
  t.is(await countMessages(session, {query: 'poster', includeDeleted: true}), 5)
})

test('filters: --author (email, any case, or UUID), --conversation, --type, --since/--until, and --count', async (t) => {
  const {db, ids, ana, general} = fixture
  const session = await db.session()
  const idsOf = async (o: Parameters<typeof searchMessages>[1]) =>
    (await searchMessages(session, {limit: 100, ...o})).rows.map((r) => r.message_id).sort()
  t.deepEqual(await idsOf({query: 'logo', author: 'cid@acme.EXAMPLE'}), [ids.invoice])
  t.deepEqual(await idsOf({query: 'logo', author: ana}), [ids.receipt])
  t.deepEqual(await idsOf({query: 'poster', conversation: general}), [ids.phrase, ids.scattered].sort())
  t.deepEqual(await idsOf({query: 'logo', type: 'file'}), [ids.invoice])
  t.deepEqual(
    await idsOf({query: 'poster or logo', since: '2026-01-06', until: '2026-01-08T10:00:00Z'}),
    [ids.scattered, ids.invoice].sort(),
  )
  const count = await cli(['poster', '--count', '--format', 'csv'])
  t.is(count.code, 0, count.stderr)
  t.is(count.stdout, 'matches\n4\n')
  const noUser = await cli(['logo', '--author', 'nobody@example.com'])
  t.is(noUser.code, 4)
  const badConv = await cli(['logo', '--conversation', 'not-a-uuid'])
  t.is(badConv.code, 2)
  t.regex(badConv.stderr, /^Error: invalid --conversation "not-a-uuid"\nHint: /)
  const badSince = await cli(['logo', '--since', 'yesterday'])
  t.is(badSince.code, 2)
})

test('keyset pagination over 3 pages returns every match exactly once, for both sorts', async (t) => {
  for (const sort of ['rank', 'newest']) {
    const seen: string[] = []
    let after: string[] = []
    let pages = 0
    for (;;) {
      const r = await cli(['storyboard rehearsal', '--limit', '10', '--sort', sort, '--format', 'ndjson', ...after])
      t.is(r.code, 0, r.stderr)
      pages++
      seen.push(
        ...r.stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l).message_id as string),
      )
      const next = /^fluxadmin: next page: --cursor (\S+)$/m.exec(r.stderr)
      if (!next) break
      after = ['--cursor', next[1]]
      t.true(pages < 5)
    }
    t.is(pages, 3, sort)
    t.is(seen.length, 25, sort)
    t.is(new Set(seen).size, 25, sort)
  }
  const {db} = fixture
  const session = await db.session()
  const first = await searchMessages(session, {query: 'storyboard', limit: 10, sort: 'newest'})
  const times = first.rows.map((r) => r.created_at!.getTime())
  t.deepEqual(
    times,
    [...times].sort((a, b) => b - a),
    'newest first',
  )
  const wrongSort = await cli(['storyboard', '--after', first.next!])
  t.is(wrongSort.code, 2)
  t.regex(wrongSort.stderr, /another --sort/)
  const garbage = await cli(['storyboard', '--after', 'bm90IGEgY3Vyc29y'])
  t.is(garbage.code, 2)
  t.regex(garbage.stderr, /^Error: invalid --cursor\nHint: /)
})

test('hostile queries give results or a clean usage error, never a stack trace or an SQL error', async (t) => {
  const cases = [
    "'",
    '\\',
    '&|!():*',
    "poster' OR 1=1 --",
    'poster:* & !proof',
    '((((',
    '"unterminated',
    '-',
    '!!!',
    'x'.repeat(10_240),
    'poster '.repeat(1500),
    'Café naïve 日本語',
    '🎨 poster 🎨',
    'poster\u200Bproof',
    "'; DROP TABLE messages; --",
  ]
  for (const text of cases) {
    const r = await cli([text, '--format', 'json'])
    t.true(r.code === 0 || r.code === 2, `${text.slice(0, 30)}: exit ${r.code} ${r.stderr}`)
    if (r.code === 0) t.true(Array.isArray(JSON.parse(r.stdout)))
    else t.regex(r.stderr, /^Error: .*\nHint: .*\n$/)
    t.notRegex(r.stderr, /\bat .*\.js:\d+|syntax error|SQLSTATE|database error/)
  }
  const unicode = await cli(['façade', '--format', 'json'])
  t.is(json(unicode.stdout).length, 1)
  const {db} = fixture
  t.is((await db.pg.query('SELECT count(*)::int AS n FROM messages')).rows[0].n, 33, 'nothing was dropped')
})

test('an empty or all-stopword query is a usage error, and NUL bytes are refused cleanly', async (t) => {
  for (const text of ['', '   ', 'the and of', '"the a"', '-- -the']) {
    const r = await cli(text.startsWith('--') ? ['--', text.slice(3)] : [text])
    t.is(r.code, 2, text)
    t.regex(r.stderr, /^Error: the search query has no searchable words\nHint: .*stopwords/)
  }
  const nul = await cli(['-'], 'poster\u0000proof')
  t.is(nul.code, 2)
  t.regex(nul.stderr, /^Error: the search query contains a NUL byte\nHint: /)
  const stdin = await cli(['-', '--format', 'json'], '"final proof"\n')
  t.is(stdin.code, 0, stdin.stderr)
  t.is(json(stdin.stdout).length, 2)
  const {db} = fixture
  const session = await db.session()
  const error = await t.throwsAsync(searchMessages(session, {query: 'poster', org: 'ac\u0000me'}))
  t.regex(error!.message, /--org contains a NUL byte/)
})

test('terminal snippets are shortened without cutting an escape in half or leaving bold on', (t) => {
  const s = '\u001B[1mReceipt\u001B[22m for the logo sent to the \u001B[1mclient\u001B[22m today'
  t.is(fitSnippet(s, 0), s)
  t.is(fitSnippet(s, 100), s)
  for (let max = 12; max < s.length; max++) {
    const out = fitSnippet(s, max)
    t.true(out.length <= max, `${max}`)
    t.true(out.endsWith('…'))
    t.is(out.split('\u001B[1m').length, out.split('\u001B[22m').length, `${max}: every bold is closed`)
    t.notRegex(out, /\u001B(?!\[(1|22)m)/, `${max}: no escape cut in half`)
  }
  const late = 'words before the match, many words before the match, and then the \u001B[1mposter\u001B[22m at last'
  t.is(fitSnippet(late, 40), '…then the \u001B[1mposter\u001B[22m at last', 'the first match stays in view')
})
