import type pg from 'pg'
import {
  compareVersions,
  listQueries,
  meetsRequirement,
  query,
  type ServerVersion,
  variantsOf,
} from '../../src/db/queries.js'

/** Statements a client can run with bind parameters; utility files (ANALYZE, COPY, DDL) are run by their commands. */
const EXECUTABLE = /^(SELECT|WITH|INSERT|UPDATE|DELETE|VALUES)\b/i

/** Highest $n outside string literals. */
const paramCount = (text: string) =>
  Math.max(0, ...(text.replace(/'(?:[^']|'')*'/g, '').match(/\$\d+/g) ?? []).map((p) => Number(p.slice(1))))

/** The pg_stat_statements versions to install in turn: the oldest read, each variant's and the newest, those the server has. */
export function statementsVersions(available: string[], oldest: string): string[] {
  const variants = listQueries()
    .flatMap((q) => variantsOf(q.name))
    .filter((v) => v.kind === 'pgss')
    .map((v) => v.version)
  const newest = [...available].sort(compareVersions).at(-1)!
  return [...new Set([oldest, ...variants, newest])].filter((v) => available.includes(v)).sort(compareVersions)
}

/**
 * Executes (not only prepares) the file query() picks for `server` for every executable query, each with NULL for
 * every parameter, each in a transaction rolled back; `only` narrows to some queries. A write that a NOT NULL or
 * foreign key constraint refuses (class 23) or a NULL identifier (22004) has run: only the schema said no.
 * Returns the files executed and one line per failure.
 */
export async function executeEveryQuery(
  client: pg.Client,
  server: ServerVersion,
  only: (name: string) => boolean = () => true,
): Promise<{executed: string[]; failures: string[]}> {
  const executed: string[] = []
  const failures: string[] = []
  for (const base of listQueries()) {
    if (!only(base.name)) continue
    const q = query(base.name, server)
    // A precondition other than a version (a temporary table, the accelerator's column, superuser) is its command's test's.
    if (q.requires && !/^(pg|pg_stat_statements) >= /.test(q.requires)) continue
    if (!EXECUTABLE.test(q.statement) || !meetsRequirement(q, server)) continue
    await client.query('BEGIN')
    try {
      await client.query("SET LOCAL statement_timeout = '20s'")
      // The onboarding statements read the temporary tables these create in the same transaction.
      await client.query(query('tenants/onboard-create-raw').text)
      await client.query(query('tenants/onboard-create-table').text)
      await client.query(q.text, Array(paramCount(q.text)).fill(null))
      executed.push(q.name)
    } catch (error) {
      const code = (error as {code?: string}).code ?? ''
      if (code.startsWith('23') || code === '22004') executed.push(q.name)
      else failures.push(`${q.name}: ${code} ${(error as Error).message}`)
    } finally {
      await client.query('ROLLBACK')
    }
  }
  return {executed, failures}
}

/** The queries whose text depends on pg_stat_statements' installed version. */
export const readsStatements = (name: string) =>
  variantsOf(name)[0]?.kind === 'pgss' ||
  /\bpg_stat_statements/.test(query(name, {versionNum: 0, pgStatStatements: '0'}).text)
