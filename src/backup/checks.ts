import {mapDbError} from '../db/errors.js'
import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {appliedMigrations, liveSchemaObjects, type SchemaObject} from '../schema/migrate.js'
import {diffObjects} from '../schema/status.js'
import {names, oneLine} from '../util/text.js'
import {countRows, type Counts} from './create.js'
import type {Manifest} from './manifest.js'

/** What a restored database must hold: recorded by `backup create` and `backup restore-point`. */
export type ExpectedContent = Pick<Manifest, 'migrations' | 'schema_objects' | 'tables' | 'organizations'>

/** Opens a session on the restored database (closed by whoever owns the scratch server). */
export type OpenSession = () => Promise<Session>

/** Every object the manifest's migrations recorded exists, unchanged, and the same migrations are applied. */
export async function checkSchema(
  open: OpenSession,
  manifest: Pick<ExpectedContent, 'migrations' | 'schema_objects'>,
): Promise<string> {
  const expected = manifest.schema_objects ?? []
  if (expected.length === 0)
    throw new Error('the manifest records no schema objects: the source was not migrated by fluxadmin')
  const s = await open()
  const [live, migrations] = await inTransaction(
    s,
    'read',
    async (client) => [await liveSchemaObjects(client), await appliedMigrations(client)] as const,
  )
  const problems = diffObjects(expected.map(normalized), live.map(normalized)).filter((r) => r.state !== 'extra')
  if (problems.length > 0) {
    const rank = (item: string) => ['table', 'column', 'index', 'constraint', 'trigger', 'function'].indexOf(item)
    problems.sort((a, b) => rank(a.item) - rank(b.item) || a.name.localeCompare(b.name))
    const missing = problems.filter((r) => r.state === 'missing')
    const changed = problems.filter((r) => r.state === 'changed')
    const parts = [
      missing.length ? `${missing.length} missing: ${names(missing.map((r) => `${r.item} ${r.name}`))}` : '',
      changed.length ? `${changed.length} changed: ${names(changed.map((r) => `${r.item} ${r.name}`))}` : '',
    ].filter(Boolean)
    throw new Error(`restored schema differs from the contract: ${parts.join('; ')}`)
  }
  const versions = (list: Array<{version: string}>) => list.map((m) => m.version).join(',')
  if (versions(migrations) !== versions(manifest.migrations ?? [])) {
    throw new Error(
      `restored migrations (${versions(migrations) || 'none'}) differ from the manifest's (${versions(manifest.migrations ?? [])})`,
    )
  }
  return `${migrations.length} migrations; ${expected.length} tables, columns, indexes, constraints, triggers and functions match`
}

/** Every table's and organization's row count equals the manifest's (the message names the organization's slug). */
export async function checkRowCounts(
  open: OpenSession,
  manifest: Pick<ExpectedContent, 'tables' | 'organizations'>,
): Promise<string> {
  const s = await open()
  const got = await inTransaction(s, 'report', (client) => countRows(client))
  const diffs = compareCounts(manifest, got)
  if (diffs.length > 0) {
    const slugs = await inTransaction(s, 'read', async (client) => {
      const ids = diffs.flatMap((d) => (d.organization && d.organization !== 'none' ? [d.organization] : []))
      return new Map(
        (await client.query(query('backup/organization-slugs').text, [ids])).rows.map((r) => [r.id, r.slug]),
      )
    }).catch(() => new Map<string, string>())
    const text = diffs.map((d) =>
      d.organization
        ? `${d.table} of organization ${slugs.get(d.organization) ?? d.organization}: ${d.got} rows, manifest ${d.expected}`
        : `${d.table}: ${d.got} rows, manifest ${d.expected}`,
    )
    throw new Error(`row counts differ from the manifest: ${names(text)}`)
  }
  return countSummary(got) + ' match'
}

/** `12 tables, 3400 rows and 24 organizations' counts` */
export function countSummary(got: Counts): string {
  const rows = Object.values(got.tables).reduce((a, b) => a + b, 0)
  const orgs = new Set(Object.values(got.organizations).flatMap((m) => Object.keys(m))).size
  return `${Object.keys(got.tables).length} tables, ${rows} rows and ${orgs} organizations' counts`
}

/**
 * A restore re-parses expressions: `(ARRAY['a'::varchar])::text[]` comes back as
 * `ARRAY[('a'::varchar)::text]`. Casts, parentheses and spaces are left out of the comparison.
 */
function normalizeDefinition(definition: string): string {
  return definition
    .replace(
      /::(?:"[^"]+"|character varying|timestamp with(?:out)? time zone|time with(?:out)? time zone|double precision|bit varying|[a-z_][a-z0-9_.]*)(?:\[\])?/g,
      '',
    )
    .replace(/[()\s]/g, '')
}

const normalized = (o: SchemaObject): SchemaObject => ({...o, definition: normalizeDefinition(o.definition)})

export interface CountDiff {
  table: string
  organization?: string
  expected: number | 'missing'
  got: number | 'missing'
}

/** Tables first, then organizations within tenant tables; absent organizations count 0. */
function compareCounts(manifest: Pick<Manifest, 'tables' | 'organizations'>, got: Counts): CountDiff[] {
  const diffs: CountDiff[] = []
  for (const table of union(Object.keys(manifest.tables), Object.keys(got.tables))) {
    const expected = manifest.tables[table] ?? 'missing'
    const have = got.tables[table] ?? 'missing'
    if (expected !== have) diffs.push({table, expected, got: have})
  }
  for (const table of union(Object.keys(manifest.organizations ?? {}), Object.keys(got.organizations))) {
    const expected = manifest.organizations?.[table] ?? {}
    const have = got.organizations[table] ?? {}
    for (const org of union(Object.keys(expected), Object.keys(have))) {
      if ((expected[org] ?? 0) !== (have[org] ?? 0))
        diffs.push({table, organization: org, expected: expected[org] ?? 0, got: have[org] ?? 0})
    }
  }
  return diffs
}

/** bt_index_check over every B-tree index, `jobs` sessions at a time; skipped when amcheck cannot be created. */
export async function checkIndexes(
  open: OpenSession,
  jobs: number,
  signal: AbortSignal,
): Promise<string | {skipped: string}> {
  const s = await open()
  try {
    await s.client.query(query('backup/create-amcheck').text)
  } catch (error) {
    return {skipped: `amcheck is not available on the scratch server: ${oneLine((error as Error).message).trim()}`}
  }
  const indexes = (await s.client.query<{index_oid: number; index_name: string}>(query('backup/btree-indexes').text))
    .rows
  const queue = [...indexes]
  const worker = async (w: Session) => {
    for (let next = queue.shift(); next && !signal.aborted; next = queue.shift()) {
      const index = next
      await inTransaction(w, 'read', (client) =>
        client.query(query('backup/bt-index-check').text, [index.index_oid]),
      ).catch((error) => {
        throw new Error(`bt_index_check(${index.index_name}): ${(mapDbError(error) as Error).message}`)
      })
    }
  }
  const workers = [s, ...(await Promise.all(Array.from({length: Math.min(jobs, indexes.length) - 1}, () => open())))]
  await Promise.all(workers.map(worker))
  if (signal.aborted) throw new Error('interrupted')
  return `${indexes.length} B-tree indexes checked with bt_index_check`
}

const union = (a: string[], b: string[]) => [...new Set([...a, ...b])].sort()
