import {mapDbError} from '../db/errors.js'
import {query} from '../db/queries.js'
import {redactQueries} from '../db/redact.js'
import {resolveTarget, type Target} from '../db/resolve.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {FluxError, MonitorCode, usageError} from '../errors.js'
import {checkNotBlank} from '../util/text.js'
import {CHECKS} from './checks.js'
import {checkEveryNode, onEveryNode} from './every-node.js'
import {resolveThresholds, selectChecks, type Thresholds} from './options.js'
import {readStanza} from './pgbackrest.js'
import {readPools} from './pgbouncer.js'
import type {CheckContext, CheckDef, CheckResult, CheckRow, HealthReport, State} from './types.js'

export interface HealthOptions {
  only?: string[]
  skip?: string[]
  warn?: string[]
  crit?: string[]
  /** Opt-in groups to add: `settings` (configuration advice). */
  include?: string[]
  /** `--db`: activity checks look at this database only (default: every database). */
  db?: string
  /** `--pgbouncer URL`: PgBouncer's admin console; adds the pgbouncer checks. */
  pgbouncer?: string
  /** `--stanza NAME` (with `--pgbackrest-config FILE`): adds the pgbackrest checks. */
  stanza?: string
  'pgbackrest-config'?: string
}

const RANK: Record<State, number> = {OK: 0, UNKNOWN: 1, WARNING: 2, CRITICAL: 3}

/** The worst state wins: CRITICAL over WARNING over UNKNOWN over OK. */
export function worstState(states: State[]): State {
  return states.reduce<State>((worst, s) => (RANK[s] > RANK[worst] ? s : worst), 'OK')
}

export function stateFor(value: number | null, t: Thresholds, direction: 'above' | 'below'): State {
  if (value === null || value === undefined) return 'OK'
  const over = (limit: number | undefined) =>
    limit !== undefined && (direction === 'above' ? value > limit : value < limit)
  if (over(t.crit)) return 'CRITICAL'
  if (over(t.warn)) return 'WARNING'
  return 'OK'
}

/**
 * Runs the selected checks. `connect` opens the session: a connection failure (server down, bad
 * password, no database) is caught here on purpose and becomes the `connection` check in state
 * CRITICAL (exit 2, as check_postgres and check_pgsql), so monitoring gets a verdict instead of an error. Usage errors still throw.
 */
export async function runHealthCheck(
  connect: () => Promise<Session>,
  options: HealthOptions = {},
): Promise<HealthReport> {
  const thresholds = resolveThresholds(options.warn, options.crit)
  for (const flag of ['db', 'pgbouncer', 'stanza', 'pgbackrest-config'] as const)
    checkNotBlank(options[flag], `--${flag}`, `leave --${flag} out, or give it a value`)
  const pgbouncer = options.pgbouncer === undefined ? undefined : pgbouncerTarget(options.pgbouncer)
  const include = [
    ...(options.include ?? []),
    ...(pgbouncer ? ['pgbouncer'] : []),
    ...(options.stanza ? ['pgbackrest'] : []),
  ]
  const selected = selectChecks(options.only, options.skip, include)
  const started = performance.now()
  let session: Session
  try {
    session = await connect()
  } catch (error) {
    const mapped = mapDbError(error)
    if (!(mapped instanceof FluxError) || mapped.kind !== 'connection') throw mapped
    const detail = mapped.hint ? `${mapped.message} (${mapped.hint})` : mapped.message
    return report(null, false, [result(def('connection'), 'CRITICAL', null, thresholds.get('connection'), detail)])
  }
  const connectSeconds = Math.round(performance.now() - started) / 1000
  // A query that fails before the checks (a statement timeout) makes the checks that need its answer UNKNOWN, not the run.
  const have = selected.some((c) => c.group === 'app' || c.needs === 'snapshots')
    ? await schemasPresent(session).catch(checkFailed)
    : {present: false, snapshots: false}
  const results = new Map<string, CheckResult>()
  for (const c of selected) {
    if (c.name === 'connection') {
      results.set(
        c.name,
        result(
          c,
          stateFor(connectSeconds, thresholds.get('connection')!, 'above'),
          connectSeconds,
          thresholds.get(c.name),
          `connected to ${session.target.database} in ${connectSeconds}s`,
        ),
      )
    } else if (c.group !== 'app' && c.needs !== 'snapshots') {
      // The query checks, below.
    } else if (typeof have === 'string') {
      results.set(c.name, result(c, 'UNKNOWN', null, thresholds.get(c.name), have))
    } else if (c.group === 'app' && !have.present) {
      results.set(
        c.name,
        result(
          c,
          'OK',
          0,
          thresholds.get(c.name),
          'skipped: not a FluxStudio database (no organizations, refresh_tokens, files tables)',
        ),
      )
    } else if (c.needs === 'snapshots' && !have.snapshots) {
      results.set(
        c.name,
        result(
          c,
          'OK',
          null,
          thresholds.get(c.name),
          'skipped: no fluxadmin stat snapshots in this database (run `fluxadmin db migrate`, then `fluxadmin stats snapshot` from cron)',
        ),
      )
    }
  }
  const present =
    options.db !== undefined && selected.some((c) => c.group === 'activity')
      ? await databasePresent(session, options.db).catch(checkFailed)
      : true
  if (present !== true) {
    // A mistyped --db would otherwise find no sessions and pass every activity check.
    for (const c of selected.filter((d) => d.group === 'activity')) {
      results.set(
        c.name,
        result(
          c,
          'UNKNOWN',
          null,
          thresholds.get(c.name),
          present ||
            `no database "${options.db}" on this server: --db names the database whose sessions the activity checks look at`,
        ),
      )
    }
  }
  const ctx = {database: options.db ?? null}
  const queried = selected.filter((c) => c.query && !results.has(c.name))
  await runQueries(session, queried, thresholds, results, ctx)
  await checkEveryNode(session, queried.filter(onEveryNode), results, (node, pending, out) =>
    runQueries(node, pending, thresholds, out, ctx),
  )
  await runComputed(
    session,
    selected.filter((c) => c.run && !results.has(c.name)),
    thresholds,
    results,
  )
  await runPgbouncer(
    pgbouncer,
    selected.filter((c) => c.pgbouncer),
    thresholds,
    results,
  )
  await runPgbackrest(
    options.stanza,
    options['pgbackrest-config'],
    selected.filter((c) => c.pgbackrest),
    thresholds,
    results,
  )
  return report(
    session.target.database,
    true,
    selected.map((c) => results.get(c.name)!),
  )
}

/**
 * All query checks share one read-only transaction (one round trip each: the check must stay fast
 * on databases with thousands of tables; checks over the same query and parameters share its rows).
 * A failing check is UNKNOWN; the rest go on in a new transaction.
 */
async function runQueries(
  session: Session,
  pending: CheckDef[],
  thresholds: Map<string, Thresholds>,
  results: Map<string, CheckResult>,
  ctx: CheckContext,
): Promise<void> {
  const fetched = new Map<string, Array<Record<string, unknown>>>()
  let next = 0
  while (next < pending.length) {
    try {
      await inTransaction(session, 'diagnostic', async (client) => {
        const rowsOf = async (name: string, values: unknown[]) => {
          const sql = query(name, session.server)
          const key = JSON.stringify([sql.name, values])
          // Details quote statement texts (the activity checks): redacted as everywhere else.
          if (!fetched.has(key)) fetched.set(key, redactQueries((await client.query(sql.text, values)).rows))
          return fetched.get(key)!
        }
        for (; next < pending.length; next++) {
          const c = pending[next]
          const params = typeof c.params === 'function' ? c.params(ctx) : (c.params ?? [])
          const rows = await rowsOf(c.query!, params)
          const also = c.with ? await rowsOf(c.with, []) : undefined
          results.set(
            c.name,
            judged(c, c.reduce ? c.reduce(rows, ctx, also) : (rows[0] as CheckRow | undefined), thresholds.get(c.name)),
          )
        }
      })
    } catch (error) {
      results.set(
        pending[next].name,
        result(pending[next], 'UNKNOWN', null, thresholds.get(pending[next].name), checkFailed(error)),
      )
      next++
    }
  }
}

/** The detail of a check whose query failed (UNKNOWN): the reason in one line. */
const checkFailed = (error: unknown) => `check failed: ${(mapDbError(error) as Error).message}`

/** Checks fluxadmin computes itself (query_regressions): a failing one is UNKNOWN. */
async function runComputed(
  session: Session,
  pending: CheckDef[],
  thresholds: Map<string, Thresholds>,
  results: Map<string, CheckResult>,
): Promise<void> {
  for (const c of pending) {
    try {
      results.set(c.name, judged(c, await c.run!(session), thresholds.get(c.name)))
    } catch (error) {
      results.set(c.name, result(c, 'UNKNOWN', null, thresholds.get(c.name), checkFailed(error)))
    }
  }
}

/** `--pgbouncer`: a connection string that does not parse is a usage error, before anything connects. */
function pgbouncerTarget(url: string): Target {
  try {
    return resolveTarget(url)
  } catch (error) {
    if (error instanceof FluxError && error.kind === 'usage')
      throw usageError(`--pgbouncer: ${error.message}`, error.hint)
    throw error
  }
}

/** The PgBouncer checks read one SHOW POOLS; a console that cannot be read makes them CRITICAL (or UNKNOWN without --pgbouncer). */
async function runPgbouncer(
  target: Target | undefined,
  pending: CheckDef[],
  thresholds: Map<string, Thresholds>,
  results: Map<string, CheckResult>,
): Promise<void> {
  if (pending.length === 0) return
  const fail = (state: State, detail: string) => {
    for (const c of pending) results.set(c.name, result(c, state, null, thresholds.get(c.name), detail))
  }
  if (!target) return fail('UNKNOWN', 'no PgBouncer to check: pass --pgbouncer postgres://user@host:6432/pgbouncer')
  let data
  try {
    data = await readPools(target)
  } catch (error) {
    const mapped = mapDbError(error) as FluxError
    // PgBouncer refuses a user outside admin_users / stats_users as an authorization or protocol error.
    const why = ['28000', '28P01', '08P01'].includes(String(mapped.code))
      ? 'the user must be in admin_users or stats_users'
      : mapped.hint
    return fail('CRITICAL', `cannot read the PgBouncer admin console: ${mapped.message}${why ? ` (${why})` : ''}`)
  }
  for (const c of pending) results.set(c.name, judged(c, c.pgbouncer!(data), thresholds.get(c.name)))
}

/** The pgBackRest checks read `pgbackrest info` and run `pgbackrest check` once; a stanza that cannot be read makes them CRITICAL. */
async function runPgbackrest(
  stanza: string | undefined,
  config: string | undefined,
  pending: CheckDef[],
  thresholds: Map<string, Thresholds>,
  results: Map<string, CheckResult>,
): Promise<void> {
  if (pending.length === 0) return
  const fail = (state: State, detail: string) => {
    for (const c of pending) results.set(c.name, result(c, state, null, thresholds.get(c.name), detail))
  }
  if (!stanza) return fail('UNKNOWN', 'no stanza to check: pass --stanza NAME (and --pgbackrest-config FILE)')
  let data
  try {
    data = await readStanza(stanza, config)
  } catch (error) {
    return fail('CRITICAL', `cannot read pgBackRest stanza ${stanza}: ${(error as Error).message}`)
  }
  for (const c of pending) results.set(c.name, judged(c, c.pgbackrest!(data), thresholds.get(c.name)))
}

/** A check's state from its row: the judge, or the thresholds (a query may supply defaults that depend on the server), made worse by escalate. */
function judged(c: CheckDef, row: CheckRow | undefined, configured: Thresholds | undefined): CheckResult {
  const value = row?.value ?? null
  const t: Thresholds = {
    warn: configured?.warn ?? asNumber(row?.default_warn),
    crit: configured?.crit ?? asNumber(row?.default_crit),
  }
  const state = c.judge ? c.judge(row ?? {value: null, detail: ''}) : stateFor(value, t, c.direction!)
  const forced = row && c.escalate ? c.escalate(row) : 'OK'
  return result(
    c,
    worstState([state, forced]),
    value,
    c.direction ? t : undefined,
    row?.detail ?? c.none ?? 'nothing to measure',
  )
}

const asNumber = (v: unknown) => (v === null || v === undefined ? undefined : Number(v))

async function schemasPresent(session: Session): Promise<{present: boolean; snapshots: boolean}> {
  return inTransaction(
    session,
    'diagnostic',
    async (client) => (await client.query(query('health/schemas-present').text)).rows[0],
  )
}

async function databasePresent(session: Session, name: string): Promise<boolean> {
  return inTransaction(
    session,
    'diagnostic',
    async (client) => (await client.query(query('health/database-present').text, [name])).rows[0].present,
  )
}

function def(name: string): CheckDef {
  return CHECKS.find((c) => c.name === name)!
}

function result(
  c: CheckDef,
  state: State,
  value: number | null,
  t: Thresholds | undefined,
  detail: string,
): CheckResult {
  return {
    check: c.name,
    state,
    value,
    unit: c.unit,
    warn: t?.warn ?? null,
    crit: t?.crit ?? null,
    direction: c.direction ?? null,
    detail,
  }
}

function report(database: string | null, connected: boolean, checks: CheckResult[]): HealthReport {
  const state = worstState(checks.map((c) => c.state))
  return {database, connected, checks, state, exitCode: MonitorCode[state.toLowerCase() as Lowercase<State>]}
}
