import {refuseLocked, unlockedTables} from '../db/lock-guard.js'
import {meetsRequirement, query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {FluxError, usageError} from '../errors.js'

/** The pg-extras style diagnostics: each one SQL file in sql/queries/stats/, named as the command. */
const DIAGNOSTICS = [
  'cache-hit',
  'io',
  'index-usage',
  'seq-scans',
  'unused-indexes',
  'duplicate-indexes',
  'table-size',
  'records-rank',
] as const
export type Diagnostic = (typeof DIAGNOSTICS)[number]

/** Diagnostics that size every table or index: a locked one is left out (one line each in `skipped`) rather than waited for. */
const PER_TABLE: ReadonlySet<Diagnostic> = new Set(['table-size', 'duplicate-indexes'])

export interface Diagnosis {
  rows: object[]
  /** One line per table left out because a lock on it would have made the read wait. */
  skipped: string[]
}

/** Runs one diagnostic in a READ ONLY transaction that never waits long for a lock, and returns its rows. */
export async function diagnosticRows(session: Session, name: Diagnostic, params: unknown[] = []): Promise<Diagnosis> {
  if (!(DIAGNOSTICS as readonly string[]).includes(name)) throw usageError(`unknown diagnostic "${name}"`)
  const q = query(`stats/${name}`, session.server)
  if (!meetsRequirement(q, session.server)) {
    throw new FluxError(
      `stats ${name} needs ${q.requires!.replace('pg >=', 'PostgreSQL')}; this server is ${session.server.version.split(' ')[0]}`,
      {
        kind: 'database',
        hint:
          name === 'io'
            ? 'before PostgreSQL 16, `fluxadmin stats cache-hit` shows the share of reads served from shared buffers'
            : undefined,
      },
    )
  }
  return inTransaction(session, 'diagnostic', async (client) => {
    if (!PER_TABLE.has(name)) return {rows: (await client.query(q.text, params)).rows, skipped: []}
    const {locked, skipped} = await unlockedTables(client, `stats ${name}`)
    return {rows: (await client.query(q.text, [...params, locked])).rows, skipped}
  })
}

export const unusedIndexes = async (session: Session, maxScans = 50) =>
  (await diagnosticRows(session, 'unused-indexes', [maxScans])).rows

export const TENANT_SORTS = ['total', 'messages', 'files', 'projects', 'members'] as const
export type TenantSort = (typeof TENANT_SORTS)[number]

export interface TenantRow {
  organization_id: string
  slug: string
  name: string
  message_rows: number
  message_bytes: number
  content_bytes: number
  recent_messages: number
  file_count: number
  file_bytes: number
  project_count: number
  member_count: number
  total_bytes: number
}

/** What stats/tenants reads. */
const TENANT_TABLES = [
  'public.messages',
  'public.conversations',
  'public.files',
  'public.projects',
  'public.organization_members',
  'public.organizations',
]

/** Per organization: messages, files, projects and members, in one snapshot (REPEATABLE READ). */
export async function tenantSizes(
  session: Session,
  options: {sort?: TenantSort; recentSince: Date; limit?: number},
): Promise<TenantRow[]> {
  const sort = options.sort ?? 'total'
  if (!(TENANT_SORTS as readonly string[]).includes(sort))
    throw usageError(`unknown sort key "${sort}"`, `use one of: ${TENANT_SORTS.join(', ')}`)
  return inTransaction(session, 'diagnostic-report', async (client) => {
    await refuseLocked(client, 'stats tenants', TENANT_TABLES)
    return (
      await client.query<TenantRow>(query('stats/tenants').text, [sort, options.recentSince, options.limit ?? null])
    ).rows
  })
}
