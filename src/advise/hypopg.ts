import type pg from 'pg'
import {query} from '../db/queries.js'
import {FluxError} from '../errors.js'
import type {IndexSpec} from './candidates.js'

interface HypopgStatus {
  installed: string | null
  available: string | null
  hide_index: boolean
  superuser: boolean
  database: string
}

/**
 * HypoPG must be created in this database; otherwise exit 2 with what to do. CREATE EXTENSION hypopg needs a
 * superuser, so the hint says whether this role can run it. Returns whether hypopg_hide_index exists (1.4+).
 */
export async function requireHypopg(client: pg.ClientBase, serverMajor: number): Promise<{hideIndex: boolean}> {
  const {
    rows: [s],
  } = await client.query<HypopgStatus>(query('advise/hypopg-status').text)
  if (s.installed) return {hideIndex: s.hide_index}
  const who = s.superuser
    ? 'as a superuser (you are one), run'
    : 'CREATE EXTENSION hypopg needs a superuser: ask one to run'
  if (!s.available) {
    throw new FluxError(
      `stats advise proves each index with a hypothetical one, and HypoPG is not installed on this server (database "${s.database}")`,
      {
        kind: 'missing_extension',
        exit: 2,
        hint: `install it (Debian/Ubuntu: apt-get install postgresql-${serverMajor}-hypopg; RHEL: hypopg_${serverMajor}), then ${who} in "${s.database}": CREATE EXTENSION hypopg;`,
      },
    )
  }
  throw new FluxError(
    `stats advise proves each index with a hypothetical one, and the extension hypopg ${s.available} is not created in database "${s.database}"`,
    {
      kind: 'missing_extension',
      exit: 2,
      hint: `${who} in "${s.database}": CREATE EXTENSION hypopg;`,
    },
  )
}

/** CREATE INDEX statements for specs (format('%I') quotes every name); `name` null lets the server (or HypoPG) name it. */
export async function indexStatements(
  client: pg.ClientBase,
  specs: Array<IndexSpec & {name?: string | null}>,
  concurrently: boolean,
): Promise<string[]> {
  if (specs.length === 0) return []
  const {rows} = await client.query<{sql: string}>(query('advise/index-statements').text, [
    JSON.stringify(specs.map((s) => ({...s, name: s.name ?? null}))),
    concurrently,
  ])
  return rows.map((r) => r.sql)
}

/** Hypothetical indexes for specs, in this session only: their oids, in the order of `specs`. */
export async function createHypothetical(client: pg.ClientBase, specs: IndexSpec[]): Promise<number[]> {
  const statements = await indexStatements(client, specs, false)
  const {rows} = await client.query<{indexrelid: number}>(query('advise/hypopg-create').text, [statements])
  return rows.map((r) => Number(r.indexrelid))
}

export async function resetHypothetical(client: pg.ClientBase): Promise<void> {
  await client.query(query('advise/hypopg-reset').text)
}

export async function hypotheticalSizes(client: pg.ClientBase, oids: number[]): Promise<Map<number, number>> {
  const {rows} = await client.query<{indexrelid: number; bytes: number}>(query('advise/hypopg-size').text, [oids])
  return new Map(rows.map((r) => [Number(r.indexrelid), Number(r.bytes)]))
}

/** HypoPG names its indexes `<oid>btree_...`: the oid a plan's index name stands for. */
export function hypotheticalOid(indexName: string): number | undefined {
  const m = /^<(\d+)>/.exec(indexName)
  return m ? Number(m[1]) : undefined
}
