import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import test from 'ava'
import {openSession} from '../src/db/session.js'
import {parseQuery, query} from '../src/db/queries.js'
import {resolveTarget} from '../src/db/resolve.js'
import {render} from '../src/output/render.js'
import {findReport, listReports, toReport} from '../src/reports/catalog.js'
import {copyStatement, runReport} from '../src/reports/run.js'
import {fixtureDb, SINCE, UNTIL} from './reports-fixture.js'

const db = fixtureDb(test, async (fresh) => {
  // Enough messages (and statistics) for the planner to split a scan between workers.
  await fresh.pg.query(`
    INSERT INTO messages (conversation_id, author_id, content, created_at)
    SELECT conversation_id, author_id, 'bulk ' || g, created_at + g * interval '1 second' FROM messages, generate_series(1, 500) g;
    ANALYZE`)
})

test('a report ends with ORDER BY over its own columns; anything else is refused when the catalog loads', (t) => {
  const report = (order: string) =>
    toReport(
      parseQuery('reports/x', `-- x\n-- returns: a text, b bigint\nSELECT 'x' AS a, 1::bigint AS b\nFROM t\n${order}`),
    )
  t.deepEqual(report('ORDER BY b DESC, 1').order, [
    {column: 'b', direction: ' DESC'},
    {column: 'a', direction: ''},
  ])
  t.deepEqual(report('ORDER BY a  asc  nulls   last;').order, [{column: 'a', direction: ' ASC NULLS LAST'}])
  t.is(report('ORDER BY a').body, "SELECT 'x' AS a, 1::bigint AS b\nFROM t")
  for (const bad of ['', 'ORDER BY t.a', 'ORDER BY lower(a)', 'ORDER BY c', 'ORDER BY 3']) {
    t.throws(
      () => report(bad),
      {message: /^reports\/x: .*a report must end with a line "ORDER BY/},
      bad || 'no ORDER BY',
    )
  }
  t.true(listReports().every((r) => r.order.length > 0))
})

test('JSON lines are built below the Gather, in the parallel workers, not one by one in the leader', async (t) => {
  const report = findReport('messages-export')
  for (const format of ['ndjson', 'json'] as const) {
    const {
      rows: [{sql}],
    } = await db().pg.query(query('report-params/copy-statement').text, [
      copyStatement(report, format, true),
      [null, null, null],
    ])
    const select = /^\/\* fluxadmin \*\/ COPY \((.*)\) TO STDOUT WITH \(FORMAT binary\)$/s.exec(sql)![1]
    await db().pg.query(
      "BEGIN; SET LOCAL TimeZone = 'UTC'; SET LOCAL parallel_setup_cost = 0; SET LOCAL parallel_tuple_cost = 0; SET LOCAL min_parallel_table_scan_size = 0; SET LOCAL min_parallel_index_scan_size = 0",
    )
    const {
      rows: [
        {
          'QUERY PLAN': [{Plan: plan}],
        },
      ],
    } = await db().pg.query(`EXPLAIN (VERBOSE, FORMAT JSON) ${select}`)
    await db().pg.query('ROLLBACK')
    t.regex(plan['Node Type'], /^Gather/, format)
    t.true(
      JSON.stringify(plan.Plans).includes('row_to_json(ROW('),
      `${format}: the line is computed under ${plan['Node Type']}`,
    )
  }
})

test('every report reads the same when parallel workers build it (debug_parallel_query / force_parallel_mode)', async (t) => {
  const plain = await db().session()
  const setting = plain.server.versionNum >= 160000 ? 'debug_parallel_query' : 'force_parallel_mode'
  const forced = await openSession(resolveTarget(`${db().url}?options=${encodeURIComponent(`-c ${setting}=on`)}`))
  t.teardown(() => forced.close())
  t.is((await forced.client.query(`SHOW ${setting}`)).rows[0][setting], 'on')
  const dir = mkdtempSync(join(tmpdir(), 'fa-par-'))
  for (const {name, params} of listReports()) {
    const has = (p: string) => params.some((x) => x.name === p)
    for (const format of ['csv', 'ndjson', 'json'] as const) {
      const outputs = []
      for (const [label, session] of [
        ['plain', plain],
        ['forced', forced],
      ] as const) {
        const out = join(dir, `${name}.${label}.${format}`)
        await runReport(
          session,
          name,
          {format, since: has('since') ? SINCE : undefined, until: has('until') ? UNTIL : undefined},
          (rows, columns) => render(rows, {format, out, header: true, color: false, columns}),
        )
        outputs.push(readFileSync(out, 'utf8'))
      }
      t.true(outputs[0].length > 10, `${name} ${format} has rows`)
      t.is(outputs[1], outputs[0], `${name} ${format}`)
    }
  }
})
