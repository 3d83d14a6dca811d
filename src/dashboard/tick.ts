import {performance} from 'node:perf_hooks'
import type pg from 'pg'
import {blockingTree, fetchBlocking} from '../activity/locks.js'
import {type ActivityFilter, fetchSessions, type SessionRow} from '../activity/sessions.js'
import {mapDbError} from '../db/errors.js'
import {guardFigure} from '../db/lock-guard.js'
import {isOwnStatement, query} from '../db/queries.js'
import {redactStatement} from '../db/redact.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {FluxError} from '../errors.js'
import {overviewRow, topQueries} from './deltas.js'
import {isLocalServer, processFigures, processSample, systemFigures, type ProcessSample} from './system.js'
import type {
  ActivityRow,
  DashboardData,
  OverviewSample,
  SkippablePane,
  StatementCounter,
  SystemFigures,
  TenantRow,
  TopQueryRow,
} from './types.js'

export interface Capabilities {
  has_statements: boolean
  statements_version: string | null
  has_tenants: boolean
}

/** What the next tick needs from the previous one, plus a cache of query texts. */
export interface TickMemory {
  tick: number
  overview?: OverviewSample
  statements?: Map<string, StatementCounter>
  texts: Map<string, string | null>
  /** Query ids of fluxadmin's own statements, left out of Top queries. */
  own: Set<string>
  /** The server runs on this machine and /proc shows its processes (known after the first tick). */
  local?: boolean
  processes: Map<number, ProcessSample>
  tenants?: {at: number; rows: TenantRow[]}
}

/** What dashboard/tenants reads: while one of them is locked the pane is skipped, and never queues behind the lock. */
const TENANT_TABLES = ['public.messages', 'public.conversations', 'public.files', 'public.organizations']

/** Tenants count the last 5 minutes and hour: refreshing them every 30 s is plenty and keeps ticks cheap. */
export const TENANTS_EVERY_MS = 30_000

export const newMemory = (): TickMemory => ({tick: 0, texts: new Map(), own: new Set(), processes: new Map()})

/** CPU%, MEM% and IO per second of each backend when the server is local (null otherwise), as pg_activity shows them. */
function withProcessFigures(rows: SessionRow[], memory: TickMemory, system: SystemFigures | null): ActivityRow[] {
  const samples = new Map<number, ProcessSample>()
  const out = rows.map((r) => {
    const sample = system ? processSample(r.pid) : undefined
    if (sample) samples.set(r.pid, sample)
    return {...r, ...processFigures(memory.processes.get(r.pid), sample, system?.mem_total_bytes ?? 0)}
  })
  memory.processes = samples
  return out
}

const unknownTexts = (rows: Array<{queryid: string}>, memory: TickMemory) => [
  ...new Set(rows.map((r) => r.queryid).filter((id) => !memory.texts.has(id))),
]

/** Idle fluxadmin sessions (another dashboard between ticks) are not the workload; working ones (an export, a purge) are, and so is one that blocks or waits. */
const isOwnIdle = (r: SessionRow) =>
  r.application === 'fluxadmin' && r.state === 'idle' && r.blocked_by.length === 0 && r.blocking.length === 0

export async function capabilities(session: Session): Promise<Capabilities> {
  return inTransaction(
    session,
    'diagnostic',
    async (client) => (await client.query(query('dashboard/capabilities').text)).rows[0],
  )
}

export interface TickOptions {
  filter: ActivityFilter
  caps: Capabilities
  /** Always read the lock tree (it is read anyway whenever a listed session is blocked or blocking). */
  lockTree?: boolean
  tenantsLimit?: number
  /** Statements kept in Top queries (default 50). */
  topLimit?: number
}

/**
 * One round of the dashboard's queries in one read-only transaction (one consistent statistics snapshot). Each pane
 * but the overview is read on its own (a savepoint, a short lock_timeout): one that fails, or would wait behind a
 * lock, is skipped with a line in `skipped`, and the others still refresh.
 */
export async function runTick(session: Session, memory: TickMemory, options: TickOptions): Promise<DashboardData> {
  const started = performance.now()
  const data = await inTransaction(session, 'diagnostic', async (client) => {
    const skipped: DashboardData['skipped'] = {}
    const pane = async <T>(name: SkippablePane, fallback: T, read: () => Promise<T>, tables?: string[]): Promise<T> => {
      try {
        const result = await guardFigure(client, `${name} pane`, read, tables)
        if (result.skipped === undefined) return result.value
        skipped[name] = result.skipped
      } catch (error) {
        const mapped = mapDbError(error)
        if (mapped instanceof FluxError && mapped.kind === 'connection') throw mapped
        skipped[name] = `${name} pane skipped: ${(mapped as Error).message}`
      }
      return fallback
    }
    const overview: OverviewSample = (await client.query(query('dashboard/overview').text)).rows[0]
    memory.local ??= isLocalServer(overview.backend_pid)
    const system = memory.local ? systemFigures() : null
    const activity = await pane('activity', [], async () =>
      withProcessFigures(
        (await fetchSessions(client, options.filter)).filter((r) => !isOwnIdle(r)),
        memory,
        system,
      ),
    )
    const involved = activity.some((r) => r.blocked_by.length > 0 || r.blocking.length > 0)
    const blocking = options.lockTree || involved ? await pane('locks', [], () => fetchBlocking(client)) : []
    const top = options.caps.has_statements
      ? await pane('top_queries', [], () => topQueriesPane(client, session, memory, overview, options))
      : null
    let tenants: TenantRow[] | null = null
    if (options.caps.has_tenants) {
      if (!memory.tenants || Date.now() - memory.tenants.at >= TENANTS_EVERY_MS) {
        const rows = await pane(
          'tenants',
          undefined,
          async () =>
            (await client.query<TenantRow>(query('dashboard/tenants').text, [options.tenantsLimit ?? 50])).rows,
          TENANT_TABLES,
        )
        // A skipped read is tried again at the next tick.
        memory.tenants = rows ? {at: Date.now(), rows} : undefined
      }
      tenants = memory.tenants?.rows ?? []
    }
    const row = overviewRow(memory.overview, overview, system)
    memory.overview = overview
    return {overview: row, activity, blocking, topQueries: top, tenants, skipped}
  })
  memory.tick++
  return {
    ...data,
    at: new Date(),
    tick: memory.tick,
    db_ms: Math.round((performance.now() - started) * 100) / 100,
    lockTree: blockingTree(data.blocking),
  }
}

/** Top queries since the previous tick, without fluxadmin's own statements (texts are read once, then cached). */
async function topQueriesPane(
  client: pg.ClientBase,
  session: Session,
  memory: TickMemory,
  overview: OverviewSample,
  options: TickOptions,
): Promise<TopQueryRow[]> {
  const server = {versionNum: session.server.versionNum, pgStatStatements: options.caps.statements_version!}
  const statements = (await client.query(query('dashboard/statements', server).text)).rows as StatementCounter[]
  const seconds = memory.overview ? (overview.sampled_at.getTime() - memory.overview.sampled_at.getTime()) / 1000 : 0
  const all = topQueries(memory.statements, statements, seconds, Infinity)
  const limit = options.topLimit ?? 50
  const others = () => all.filter((r) => !memory.own.has(r.queryid)).slice(0, limit)
  // Reading texts finds fluxadmin's own statements (tagged): then the next ones take their places.
  let missing: string[]
  while ((missing = unknownTexts(others(), memory)).length > 0) {
    if (memory.texts.size > 5000) memory.texts.clear()
    for (const id of missing) memory.texts.set(id, null)
    const {rows: texts} = await client.query(query('dashboard/statement-texts').text, [missing])
    for (const t of texts) {
      if (isOwnStatement(t.query)) memory.own.add(String(t.queryid))
      memory.texts.set(String(t.queryid), redactStatement(t.query.replace(/^(\s*--[^\n]*\n)+/, '').trim()))
    }
  }
  memory.statements = new Map(statements.map((s) => [s.key, s]))
  return others().map((r) => ({...r, query: memory.texts.get(r.queryid) ?? null}))
}
