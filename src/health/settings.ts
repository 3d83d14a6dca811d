import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'

interface Recommendation {
  name: string
  recommended: string
  ok: (value: string) => boolean
  reason: string
}

const num = (v: string) => Number(v)
const on = (v: string) => v === 'on'

/** The settings the FluxStudio schema document asks for (statement timeout, pg_stat_statements, PgBouncer, autovacuum) and the autovacuum ones. */
const RECOMMENDED: Recommendation[] = [
  {
    name: 'statement_timeout',
    recommended: '30s',
    ok: (v) => num(v) > 0 && num(v) <= 30_000,
    reason: 'the schema document: statement timeout of 30 seconds to stop runaway queries',
  },
  {
    name: 'idle_in_transaction_session_timeout',
    recommended: '> 0, e.g. 5min',
    ok: (v) => num(v) > 0,
    reason: 'idle transactions hold locks and stop vacuum from removing dead rows',
  },
  {
    name: 'shared_preload_libraries',
    recommended: 'includes pg_stat_statements',
    ok: (v) =>
      v
        .split(',')
        .map((s) => s.trim().replace(/"/g, ''))
        .includes('pg_stat_statements'),
    reason: 'the schema document: pg_stat_statements for query analysis',
  },
  {
    name: 'max_connections',
    recommended: '<= 200 behind PgBouncer',
    ok: (v) => num(v) <= 200,
    reason: 'the schema document: connection pooling with PgBouncer instead of many server connections',
  },
  {
    name: 'autovacuum',
    recommended: 'on',
    ok: on,
    reason: 'the schema document: configure autovacuum; without it dead rows pile up and wraparound looms',
  },
  {name: 'track_counts', recommended: 'on', ok: on, reason: 'autovacuum needs the statistics to decide what to vacuum'},
  {
    name: 'autovacuum_max_workers',
    recommended: '>= 3',
    ok: (v) => num(v) >= 3,
    reason: 'enough workers for the busy tables',
  },
  {
    name: 'autovacuum_naptime',
    recommended: '<= 1min',
    ok: (v) => num(v) <= 60,
    reason: 'how often each database is looked at',
  },
  {
    name: 'autovacuum_vacuum_scale_factor',
    recommended: '<= 0.1',
    ok: (v) => num(v) <= 0.1,
    reason: 'the default 0.2 lets big tables (messages) collect a fifth of dead rows before vacuum',
  },
  {
    name: 'autovacuum_analyze_scale_factor',
    recommended: '<= 0.05',
    ok: (v) => num(v) <= 0.05,
    reason: 'fresher planner statistics on big tables',
  },
  {
    name: 'autovacuum_vacuum_insert_scale_factor',
    recommended: '<= 0.2',
    ok: (v) => num(v) <= 0.2,
    reason: 'insert-only tables (messages, security_events) get frozen and their visibility map set',
  },
  {
    name: 'autovacuum_vacuum_cost_delay',
    recommended: '<= 2ms',
    ok: (v) => num(v) <= 2,
    reason: 'a larger delay throttles autovacuum so it falls behind',
  },
  {
    name: 'autovacuum_freeze_max_age',
    recommended: '<= 400000000',
    ok: (v) => num(v) <= 400_000_000,
    reason: 'anti-wraparound vacuum early enough',
  },
  {
    name: 'log_autovacuum_min_duration',
    recommended: '>= 0, e.g. 10s',
    ok: (v) => num(v) >= 0,
    reason: 'log slow autovacuum runs to see what it is doing',
  },
  {
    name: 'log_lock_waits',
    recommended: 'on',
    ok: on,
    reason: 'log lock waits longer than deadlock_timeout, to find blocking',
  },
]

export interface SettingRow {
  name: string
  current: string
  recommended: string
  differs: boolean
  source: string | null
  pending_restart: boolean
  reason: string
}

/** A setting overridden by ALTER ROLE / ALTER DATABASE ... SET (pg_db_role_setting, psql's \drds). */
interface OverrideRow {
  role: string | null
  database: string | null
  setting: string
  value: string
  scope: string
  sessions: number
}

export const OVERRIDE_COLUMNS = ['role', 'database', 'setting', 'value', 'scope', 'sessions']

/**
 * The settings that matter, as new sessions get them, with the recommended value and whether it
 * differs; and every override by role or database, which sessions of other roles get instead.
 */
export async function settingsReport(session: Session): Promise<{settings: SettingRow[]; overrides: OverrideRow[]}> {
  const [rows, overrides] = await inTransaction(
    session,
    'diagnostic',
    async (client) =>
      [
        (
          await client.query<{
            name: string
            value: string
            unit: string | null
            source: string | null
            pending_restart: boolean
          }>(query('health/settings').text, [RECOMMENDED.map((r) => r.name)])
        ).rows,
        (await client.query<OverrideRow>(query('health/role-settings').text)).rows,
      ] as const,
  )
  const byName = new Map(rows.map((r) => [r.name, r]))
  const settings = RECOMMENDED.filter((r) => byName.has(r.name)).map((r) => {
    const s = byName.get(r.name)!
    return {
      name: r.name,
      current:
        s.unit && /^-?[\d.]+$/.test(s.value) ? `${s.value}${/^\d/.test(s.unit) ? ` × ${s.unit}` : s.unit}` : s.value,
      recommended: r.recommended,
      differs: !r.ok(s.value),
      source: s.source,
      pending_restart: s.pending_restart,
      reason: r.reason,
    }
  })
  return {settings, overrides}
}

/** "3 settings overridden by role or database: role app: enable_indexscan=off, ..." for stderr under the table. */
export function describeOverrides(overrides: OverrideRow[]): string | undefined {
  if (overrides.length === 0) return undefined
  const shown = overrides
    .slice(0, 5)
    .map(
      (o) =>
        `${[o.role && `role ${o.role}`, o.database && `database ${o.database}`].filter(Boolean).join(' in ') || 'all roles'}: ${o.setting}=${o.value}`,
    )
  return `${overrides.length} setting${overrides.length === 1 ? '' : 's'} overridden by role or database (not in the table above): ${shown.join(', ')}${overrides.length > 5 ? ', …' : ''}; see \`health settings --overrides\``
}
