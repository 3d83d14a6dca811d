import test from 'ava'
import {listQueries, meetsRequirement} from '../src/db/queries.js'
import {freshDb} from './helpers/db.js'

test('every sql/queries file has a header and parses against the migrated schema', async (t) => {
  const db = await freshDb(t)
  const {
    rows: [{extversion}],
  } = await db.pg.query("SELECT extversion FROM pg_extension WHERE extname = 'pg_stat_statements'")
  const server = {versionNum: (await db.session()).server.versionNum, pgStatStatements: extversion}
  const queries = listQueries()
  t.true(queries.length > 10)
  let prepared = 0
  for (const q of queries) {
    t.true(q.description.length > 0, `${q.name} has a description line`)
    const declared = new Set(q.params.map((p) => p.slice(0, p.indexOf(':'))))
    for (const used of new Set(q.text.replace(/'(?:[^']|'')*'/g, '').match(/\$\d+/g) ?? []))
      t.true(declared.has(used), `${q.name} documents ${used}`)
    if (q.requires && (!/^pg/.test(q.requires) || !meetsRequirement(q, server))) continue
    // PREPARE takes only these; utility statements (ANALYZE, DDL) are exercised by the tests of their commands.
    if (!/^(SELECT|WITH|INSERT|UPDATE|DELETE|VALUES)\b/i.test(q.statement)) continue
    prepared++
    await db.pg.query('BEGIN')
    try {
      await db.pg.query(`PREPARE smoke AS ${q.text.replace(/;\s*$/, '')}`)
      t.pass()
    } catch (error) {
      t.fail(`${q.name}: ${(error as Error).message}`)
    } finally {
      await db.pg.query('ROLLBACK')
      await db.pg.query('DEALLOCATE ALL')
    }
  }
  t.true(prepared > 100, `${prepared} statements prepared`)
})
