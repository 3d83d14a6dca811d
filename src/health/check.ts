import {mapDbError} from '../db/errors.js'
import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {FluxError, MonitorCode} from '../errors.js'
import {CHECKS, type CheckDef, type CheckRow, type State, type Unit} from './checks.js'
import {resolveThresholds, selectChecks, type Thresholds} from './options.js'

export interface CheckResult {
  check: string
  state: State
  value: number | null
  unit: Unit
  warn: number | null
  crit: number | null
  direction: 'above' | 'below' | null
  detail: string
}

export interface HealthReport {
  database: string | null
  connected: boolean
  checks: CheckResult[]
  state: State
  /** Monitoring convention: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
  exitCode: number
}

export interface HealthOptions {
  only?: string[]
  skip?: string[]
  warn?: string[]
  crit?: string[]
}

const RANK: Record<State, number> = {OK: 0, UNKNOWN: 1, WARNING: 2, CRITICAL: 3}

/** The worst state wins: CRITICAL over WARNING over UNKNOWN over OK. */
export function worstState(states: State[]): State {
  return states.reduce<State>((worst, s) => (RANK[s] > RANK[worst] ? s : worst), 'OK')
}

export function stateFor(value: number | null, t: Thresholds, direction: 'above' | 'below'): State {
  if (value === null || value === undefined) return 'OK'
  const over = (limit: number | undefined) => limit !== undefined && (direction === 'above' ? value > limit : value < limit)
  if (over(t.crit)) return 'CRITICAL'
  if (over(t.warn)) return 'WARNING'
  return 'OK'
}

/**
 * Runs the selected checks. `connect` opens the session: a connection failure (server down, bad
 * password, no database) is caught here on purpose and becomes the `connection` check in state
 * UNKNOWN (exit 3), so monitoring gets a verdict instead of an error. Usage errors still throw.
 */
export async function runHealthCheck(connect: () => Promise<Session>, options: HealthOptions = {}): Promise<HealthReport> {
  const thresholds = resolveThresholds(options.warn, options.crit)
  const selected = selectChecks(options.only, options.skip)
  const started = performance.now()
  let session: Session
  try {
    session = await connect()
  } catch (error) {
    const mapped = mapDbError(error)
    if (!(mapped instanceof FluxError) || mapped.kind !== 'connection') throw mapped
    const detail = mapped.hint ? `${mapped.message} (${mapped.hint})` : mapped.message
    return report(null, false, [result(def('connection'), 'UNKNOWN', null, thresholds, detail)])
  }
  const connectSeconds = Math.round(performance.now() - started) / 1000
  const appPresent = selected.some((c) => c.group === 'app') ? await fluxstudioSchemaPresent(session) : false
  const results = new Map<string, CheckResult>()
  for (const c of selected) {
    if (c.name === 'connection') {
      results.set(c.name, result(c, stateFor(connectSeconds, thresholds.get('connection')!, 'above'), connectSeconds, thresholds, `connected to ${session.target.database} in ${connectSeconds}s`))
    } else if (c.group === 'app' && !appPresent) {
      results.set(c.name, result(c, 'OK', null, thresholds, 'skipped: not a FluxStudio database (no organizations, refresh_tokens, files tables)'))
    }
  }
  await runQueries(session, selected.filter((c) => !results.has(c.name)), thresholds, results)
  return report(session.target.database, true, selected.map((c) => results.get(c.name)!))
}

/**
 * All query checks share one read-only transaction (one round trip each: the check must stay fast
 * on databases with thousands of tables). A failing check is UNKNOWN; the rest go on in a new transaction.
 */
async function runQueries(session: Session, pending: CheckDef[], thresholds: Map<string, Thresholds>, results: Map<string, CheckResult>): Promise<void> {
  let next = 0
  while (next < pending.length) {
    try {
      await inTransaction(session, 'read', async (client) => {
        for (; next < pending.length; next++) {
          const c = pending[next]
          const row = (await client.query<CheckRow>(query(c.query!).text, c.params ?? [])).rows[0]
          const value = row?.value ?? null
          const state = c.judge ? c.judge(row) : stateFor(value, thresholds.get(c.name)!, c.direction!)
          results.set(c.name, result(c, state, value, thresholds, row?.detail ?? c.none ?? 'nothing to measure'))
        }
      })
    } catch (error) {
      const mapped = mapDbError(error) as Error
      results.set(pending[next].name, result(pending[next], 'UNKNOWN', null, thresholds, `check failed: ${mapped.message}`))
      next++
    }
  }
}

async function fluxstudioSchemaPresent(session: Session): Promise<boolean> {
  return inTransaction(session, 'read', async (client) => Boolean((await client.query(query('health/fluxstudio-schema').text)).rows[0]?.present))
}

function def(name: string): CheckDef {
  return CHECKS.find((c) => c.name === name)!
}

function result(c: CheckDef, state: State, value: number | null, thresholds: Map<string, Thresholds>, detail: string): CheckResult {
  const t = thresholds.get(c.name)
  return {check: c.name, state, value, unit: c.unit, warn: t?.warn ?? null, crit: t?.crit ?? null, direction: c.direction ?? null, detail}
}

function report(database: string | null, connected: boolean, checks: CheckResult[]): HealthReport {
  const state = worstState(checks.map((c) => c.state))
  return {database, connected, checks, state, exitCode: MonitorCode[state.toLowerCase() as Lowercase<State>]}
}
