import {query, SQL_TAG} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {usageError} from '../errors.js'
import {type Attribution, organizationResolver, type OrgKey, boundValues} from './tenant-keys.js'
import {type LogFormat, readServerLog} from './server-log.js'

/** One organization's share of the statements in the window (or the statements tied to none). */
interface TenantLoadRow {
  organization_id: string | null
  slug: string | null
  name: string
  calls: number
  calls_pct: number
  time_ms: number
  time_pct: number
  /** How many of its calls each source tied to it. */
  by_application: number
  by_parameter: number
  by_literal: number
}

export const TENANT_LOAD_COLUMNS = [
  'slug',
  'name',
  'calls',
  'calls_pct',
  'time_ms',
  'time_pct',
  'by_application',
  'by_parameter',
  'by_literal',
  'organization_id',
]

export type LoadSource = {log: string; format?: LogFormat; since?: Date} | {sampleMs: number; intervalMs?: number}

const SAMPLE_INTERVAL_MS = 100
const UNATTRIBUTED = 'statements tied to no organization'

/** Sums calls and time per organization; memory is one entry per organization. */
function tally() {
  const totals = new Map<string, TenantLoadRow>()
  const none: TenantLoadRow = {
    organization_id: null,
    slug: null,
    name: UNATTRIBUTED,
    calls: 0,
    calls_pct: 0,
    time_ms: 0,
    time_pct: 0,
    by_application: 0,
    by_parameter: 0,
    by_literal: 0,
  }
  return {
    add(hit: {org: OrgKey; by: Attribution} | undefined, calls: number, ms: number) {
      let row = none
      if (hit) {
        row = totals.get(hit.org.id) ?? {...none, organization_id: hit.org.id, slug: hit.org.slug, name: hit.org.name}
        totals.set(hit.org.id, row)
        row[`by_${hit.by}`] += calls
      }
      row.calls += calls
      row.time_ms += ms
    },
    /** Organizations by their share of time, then of calls; the statements tied to none last. */
    rows(): TenantLoadRow[] {
      const all = [...totals.values(), none]
      const calls = all.reduce((n, r) => n + r.calls, 0)
      const ms = all.reduce((n, r) => n + r.time_ms, 0)
      const pct = (part: number, whole: number) => (whole > 0 ? Math.round((1000 * part) / whole) / 10 : 0)
      for (const r of all) {
        r.calls_pct = pct(r.calls, calls)
        r.time_pct = pct(r.time_ms, ms)
        r.time_ms = Math.round(r.time_ms * 1000) / 1000
      }
      return [...totals.values()]
        .sort((a, b) => b.time_ms - a.time_ms || b.calls - a.calls || a.slug!.localeCompare(b.slug!))
        .concat(none.calls > 0 ? [none] : [])
    },
  }
}

/** `duration: 0.123 ms  execute <unnamed>: SELECT ...` or `... statement: ...`: a statement's run (parse and bind steps are left out). */
const DURATION = /^duration: (\d+(?:\.\d+)?) ms {2}(?:statement|execute [^:]*): ([\s\S]*)$/

/**
 * Load per organization over a window, from the server log's timed statements and their bound
 * parameters (log_min_duration_statement), or from samples of pg_stat_activity. Statements of
 * other databases and fluxadmin's own are left out.
 */
export async function tenantLoad(session: Session, source: LoadSource): Promise<TenantLoadRow[]> {
  const orgs = await inTransaction(
    session,
    'read',
    async (client) => (await client.query<OrgKey>(query('stats/organization-keys').text)).rows,
  )
  const database = session.target.database
  const resolve = organizationResolver(orgs)
  const sums = tally()
  if ('log' in source) {
    for await (const entry of readServerLog(source.log, source.format)) {
      const m = DURATION.exec(entry.message)
      if (!m || (entry.database !== null && entry.database !== database) || m[2].startsWith(SQL_TAG)) continue
      if (source.since) {
        if (!entry.time)
          throw usageError(
            `--since: cannot read the time of a line of ${source.log}`,
            "log_line_prefix should start with %m or %t, and log_timezone be 'UTC' or an offset",
          )
        if (entry.time < source.since) continue
      }
      sums.add(
        resolve({application: entry.application, parameters: boundValues(entry.detail), text: m[2]}),
        1,
        Number(m[1]),
      )
    }
  } else {
    await sampleActivity(session, source.sampleMs, source.intervalMs ?? SAMPLE_INTERVAL_MS, (row, isNew, ms) =>
      sums.add(resolve({application: row.application, text: row.query ?? ''}), isNew ? 1 : 0, ms),
    )
  }
  return sums.rows()
}

interface ActiveStatement {
  pid: number
  query_start: Date | null
  application: string | null
  query: string | null
}

/**
 * Reads the statements running in this database every `intervalMs` for `durationMs`: each sighting
 * stands for the interval's time, and a statement (pid, query_start) not seen in the sample before is a new call.
 */
async function sampleActivity(
  session: Session,
  durationMs: number,
  intervalMs: number,
  onRow: (row: ActiveStatement, isNew: boolean, ms: number) => void,
): Promise<void> {
  const end = Date.now() + durationMs
  let previous = new Set<string>()
  for (let next = Date.now(); next < end; next += intervalMs) {
    const rows = await inTransaction(
      session,
      'read',
      async (client) => (await client.query<ActiveStatement>(query('stats/active-statements').text)).rows,
    )
    const seen = new Set<string>()
    for (const row of rows) {
      const key = `${row.pid}:${row.query_start?.getTime()}`
      seen.add(key)
      onRow(row, !previous.has(key), intervalMs)
    }
    previous = seen
    await new Promise((r) => setTimeout(r, Math.max(0, next + intervalMs - Date.now())))
  }
}
