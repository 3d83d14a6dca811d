import type pg from 'pg'
import {acrossNodes} from '../citus/nodes.js'
import {query} from '../db/queries.js'
import {redactQueries} from '../db/redact.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {usageError} from '../errors.js'

/**
 * One row of pg_stat_activity as `fluxadmin activity` and the dashboard's Activity pane show it. On a Citus
 * coordinator (citus_stat_activity) pid, blocked_by and blocking are global pids, with the session's node and local pid.
 */
export interface SessionRow {
  pid: number
  node?: string
  local_pid?: number
  database: string | null
  user: string | null
  application: string | null
  client: string | null
  client_port?: number | null
  backend_type: string
  state: string | null
  wait_event_type: string | null
  wait_event: string | null
  backend_start: Date | null
  xact_start: Date | null
  query_start: Date | null
  duration_s: number | null
  xact_age_s: number | null
  blocked_by: number[]
  blocking: number[]
  query: string | null
}

export interface ActivityFilter {
  /** Milliseconds the current state (query, idle in transaction) has lasted at least. */
  minDurationMs?: number
  includeIdle?: boolean
  database?: string
  user?: string
  application?: string
}

const FILTER_KEYS = ['database', 'user', 'application'] as const

/** `--filter user=alice --filter application=api` to an ActivityFilter. */
export function parseFilters(items: string[] | undefined): Pick<ActivityFilter, (typeof FILTER_KEYS)[number]> {
  const out: Partial<Record<(typeof FILTER_KEYS)[number], string>> = {}
  for (const item of items ?? []) {
    const m = /^([a-z]+)=(.+)$/.exec(item)
    const key = m?.[1] as (typeof FILTER_KEYS)[number] | undefined
    if (!m || !key || !FILTER_KEYS.includes(key))
      throw usageError(`invalid --filter "${item}"`, `use ${FILTER_KEYS.map((k) => `${k}=VALUE`).join(', ')}`)
    out[key] = m[2]
  }
  return out
}

/**
 * Runs activity/sessions on a client that is already in a transaction (the dashboard's tick); `citus`: the sessions of
 * every node (activity-citus/sessions), by global pid, with the node.
 */
export async function fetchSessions(
  client: pg.ClientBase,
  filter: ActivityFilter = {},
  citus = false,
): Promise<SessionRow[]> {
  const {rows} = await client.query(query(citus ? 'activity-citus/sessions' : 'activity/sessions').text, [
    `${Math.max(0, Math.trunc(filter.minDurationMs ?? 0))} milliseconds`,
    filter.includeIdle ?? false,
    filter.database ?? null,
    filter.user ?? null,
    filter.application ?? null,
  ])
  return redactQueries(rows)
}

/** Long-running queries and idle-in-transaction sessions, longest first. */
export function listSessions(session: Session, filter: ActivityFilter = {}): Promise<SessionRow[]> {
  return inTransaction(session, 'diagnostic', async (client) =>
    fetchSessions(client, filter, await acrossNodes(client, session)),
  )
}
