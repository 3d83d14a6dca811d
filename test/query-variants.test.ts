import test from 'ava'
import {listQueries, query, variantsOf} from '../src/db/queries.js'
import {runCli} from './helpers/cli.js'
import {freshDb} from './helpers/db.js'

/** The majors fluxadmin supports and the pg_stat_statements versions they ship (14: 1.9 ... 18: 1.12), plus 1.8 kept from 13. */
const MAJORS = [14, 15, 16, 17, 18]
const STATEMENTS_VERSIONS = ['1.8', '1.9', '1.10', '1.11', '1.12']

const columnNames = (returns?: string) => (returns ?? '').split(',').map((c) => c.trim().split(/\s+/)[0])

test('every version variant, with the majors or pg_stat_statements versions it serves', (t) => {
  const lines: string[] = []
  for (const base of listQueries()) {
    const variants = variantsOf(base.name)
    if (variants.length === 0) continue
    const pgss = variants[0].kind === 'pgss'
    const served = new Map<string, string[]>()
    for (const at of pgss ? STATEMENTS_VERSIONS : MAJORS.map(String)) {
      const file = query(
        base.name,
        pgss ? {versionNum: 180000, pgStatStatements: at} : {versionNum: Number(at) * 10_000},
      ).name
      served.set(file, [...(served.get(file) ?? []), at])
    }
    for (const file of [base.name, ...variants.map((v) => v.file)]) {
      const q = file === base.name ? base : query(file)
      t.true(served.has(file), `${file}.sql serves no supported version`)
      t.deepEqual(q.params, base.params, `${file}.sql takes the parameters of ${base.name}.sql`)
      t.deepEqual(
        columnNames(q.returns),
        columnNames(base.returns),
        `${file}.sql returns the columns of ${base.name}.sql`,
      )
      lines.push(`${file}.sql: ${pgss ? 'pg_stat_statements' : 'PostgreSQL'} ${served.get(file)?.join(', ')}`)
    }
  }
  t.log(`\n${lines.join('\n')}`)
  t.true(lines.length >= 8)
})

test('a query with variants must be told what it runs on; the newest variant not newer than the server wins', (t) => {
  t.throws(() => query('vacuum/progress'), {message: /has server version variants: pass session.server/})
  t.throws(() => query('stats/statements', {versionNum: 170000}), {message: /pg_stat_statements version variants/})
  t.is(query('vacuum/progress', {versionNum: 160009}).name, 'vacuum/progress')
  t.is(query('vacuum/progress', {versionNum: 170010}).name, 'vacuum/progress.pg17')
  t.is(query('vacuum/progress', {versionNum: 180004}).name, 'vacuum/progress.pg17')
  // By the installed extension, not the server: PostgreSQL 17 upgraded from 13 keeps pg_stat_statements 1.8.
  t.is(query('stats/statements', {versionNum: 170010, pgStatStatements: '1.8'}).name, 'stats/statements')
  t.is(query('stats/statements', {versionNum: 140000, pgStatStatements: '1.9'}).name, 'stats/statements.pgss1.9')
  t.is(query('stats/statements', {versionNum: 160000, pgStatStatements: '1.10'}).name, 'stats/statements.pgss1.9')
  t.is(query('stats/statements', {versionNum: 180000, pgStatStatements: '1.12'}).name, 'stats/statements.pgss1.11')
})

test('a database whose pg_stat_statements stayed at 1.8 through pg_upgrade is read; before 1.8 a clear error says how to update', async (t) => {
  const db = await freshDb(t)
  await db.pg.query("DROP EXTENSION pg_stat_statements; CREATE EXTENSION pg_stat_statements VERSION '1.8'")
  await db.pg.query('SELECT count(*) FROM users')
  for (const args of [
    ['stats', 'top', '--format', 'json'],
    ['stats', 'snapshot'],
    ['dashboard', '--once', '--format', 'json'],
  ]) {
    const r = await runCli([...args, '--db-url', db.url])
    t.is(r.code, 0, `${args.join(' ')}: ${r.stderr}`)
  }
  const top = JSON.parse((await runCli(['stats', 'top', '--format', 'json', '--db-url', db.url])).stdout)
  t.true(
    top.length > 0 && top.every((r: {toplevel: boolean}) => r.toplevel),
    'without a toplevel column every entry is top-level',
  )

  await db.pg.query("DROP EXTENSION pg_stat_statements; CREATE EXTENSION pg_stat_statements VERSION '1.7'")
  const old = await runCli(['stats', 'top', '--db-url', db.url])
  t.is(old.code, 6)
  t.regex(old.stderr, /pg_stat_statements 1\.7 in database "t_\w+" is older than 1\.8/)
  t.regex(old.stderr, /ALTER EXTENSION pg_stat_statements UPDATE/)
  t.notRegex(old.stderr, /\n\s+at /, 'no stack trace')
})
