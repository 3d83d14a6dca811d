import {recordAudit} from '../audit/record.js'
import {mapDbError} from '../db/errors.js'
import {cancelAndClose} from '../db/interrupt.js'
import {poolerInBetween} from '../db/pooler.js'
import {query} from '../db/queries.js'
import {openSession, type Session} from '../db/session.js'
import {assertPrimary, readOnlyStandby} from '../db/standby.js'
import {inTransaction} from '../db/transaction.js'
import {conflict, FluxError, isFluxError, usageError} from '../errors.js'
import {assertPlainRead} from '../stats/plain-read.js'
import {cleanupOnSignal} from '../util/signals.js'
import type {AdviseResult, Suggestion} from './types.js'
import {readParamsFile, sampleParamSets} from './params.js'
import type {Subject} from './subjects.js'

/** Parameter sets each statement runs with, before and after the index. */
export const VERIFY_RUNS = 20

export interface Verification {
  verify_runs: number
  p50_before_ms: number
  p95_before_ms: number
  p50_after_ms: number
  p95_after_ms: number
  kept: boolean
}

export interface VerifyOptions {
  keep?: boolean
  /** --params FILE: the parameter sets (only when advising one statement). */
  paramsFile?: string
  actor?: string
}

type Sets = Array<Array<string | null>>

/**
 * Step 2 of the proof: each suggested index is built for real (CREATE INDEX CONCURRENTLY, audited, outside
 * any transaction), each statement it helps runs with VERIFY_RUNS parameter sets in READ ONLY transactions
 * before and after, and the index is dropped again unless `keep`. A failed or interrupted build drops the
 * invalid index it leaves. Refused on a standby and through a pooler; every check comes before anything is built.
 */
export async function verifySuggestions(
  session: Session,
  result: AdviseResult,
  options: VerifyOptions = {},
): Promise<Array<Suggestion & Verification>> {
  await assertCanVerify(session)
  const subjects = result.suggestions.flatMap((s) => s.subjects)
  if (options.paramsFile !== undefined && subjects.length > 1)
    throw usageError(
      `--params gives the values of one statement, and ${subjects.length} statements would be verified`,
      'advise on one statement (--queryid or --query) to pass --params',
    )
  const sets = new Map<Subject, Sets>()
  for (const s of subjects) sets.set(s, await parameterSets(session, s, options.paramsFile))
  await inTransaction(session, 'read', async (client, tx) => {
    tx.rollbackOnly()
    for (const s of subjects) await assertPlainRead(client, s.text, (sets.get(s)![0] ?? []) as string[])
  })
  const out: Array<Suggestion & Verification> = []
  for (const suggestion of result.suggestions) {
    const before = await timeRuns(session, suggestion.subjects, sets)
    const release = await buildIndex(session, suggestion, options)
    try {
      const after = await timeRuns(session, suggestion.subjects, sets)
      if (!options.keep)
        await dropIndex(session, suggestion, options, 'admin.stats.advise.index_dropped', 'dropped after verification')
      out.push({
        ...suggestion,
        verify_runs: before.length,
        p50_before_ms: percentile(before, 50),
        p95_before_ms: percentile(before, 95),
        p50_after_ms: percentile(after, 50),
        p95_after_ms: percentile(after, 95),
        kept: Boolean(options.keep),
      })
    } catch (error) {
      if (!options.keep)
        await dropIndex(
          session,
          suggestion,
          options,
          'admin.stats.advise.index_dropped',
          'dropped: verification failed',
        ).catch(() => {})
      throw error
    } finally {
      release()
    }
  }
  return out
}

/** --verify builds indexes: only on a primary, reached directly (not through a pooler). */
export async function assertCanVerify(session: Session): Promise<void> {
  assertPrimary(session)
  const inRecovery = await inTransaction(
    session,
    'read',
    async (client) =>
      (await client.query<{in_recovery: boolean}>(query('replica/in-recovery').text)).rows[0].in_recovery,
  )
  if (inRecovery) throw readOnlyStandby(session)
  const pooler = await poolerInBetween(session)
  if (pooler) {
    throw new FluxError(
      `--verify needs a direct connection to PostgreSQL, and this one goes through a pooler or proxy: ${pooler}`,
      {
        kind: 'database',
        hint: "CREATE INDEX CONCURRENTLY runs outside a transaction with session settings: in PgBouncer's transaction mode they would leak to other clients and the timed runs could land on other server connections; connect to the server's own port (stats advise without --verify works through PgBouncer)",
      },
    )
  }
}

async function parameterSets(session: Session, subject: Subject, paramsFile: string | undefined): Promise<Sets> {
  if (subject.params === 0) return Array.from({length: VERIFY_RUNS}, () => [])
  if (paramsFile !== undefined) return readParamsFile(paramsFile, subject.params)
  const sampled = await inTransaction(session, 'read', (client) =>
    sampleParamSets(client, subject.text, subject.facts, subject.params, VERIFY_RUNS),
  )
  if ('sets' in sampled) return sampled.sets
  throw usageError(
    `statement ${subject.queryid ?? '(--query)'}: pg_stats has no values for $${sampled.missing.join(', $')}`,
    'pass the values with --params FILE (one JSON array per line, e.g. ["acme", 20])',
  )
}

/** Every statement with every parameter set, a warm-up pass first; milliseconds per run, as the client sees them. */
async function timeRuns(session: Session, subjects: Subject[], sets: Map<Subject, Sets>): Promise<number[]> {
  return inTransaction(session, 'read', async (client, tx) => {
    tx.rollbackOnly()
    const times: number[] = []
    for (const pass of ['warm-up', 'timed']) {
      for (const s of subjects) {
        for (const values of sets.get(s)!) {
          const started = performance.now()
          await client.query({text: s.text, values, queryMode: 'extended'} as never)
          if (pass === 'timed') times.push(performance.now() - started)
        }
      }
    }
    return times
  })
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

async function audit(
  session: Session,
  eventType: string,
  severity: 'info' | 'warning',
  description: string,
  suggestion: Suggestion,
  options: VerifyOptions,
  extra: Record<string, unknown> = {},
) {
  await inTransaction(session, 'write', (client) =>
    recordAudit(client, {
      eventType,
      severity,
      description,
      actor: options.actor,
      metadata: {
        index: suggestion.index_name,
        table: suggestion.table_name,
        statement: suggestion.index_statement,
        queryids: suggestion.queryids,
        keep: Boolean(options.keep),
        ...extra,
      },
    }),
  )
}

/** CREATE INDEX CONCURRENTLY under the session's timeouts; returns the function that stops the signal cleanup. A failed build drops what it left. */
async function buildIndex(session: Session, suggestion: Suggestion, options: VerifyOptions): Promise<() => void> {
  const schema = suggestion.spec.schema
  const state = await indexState(session, schema, suggestion.index_name)
  if (state.present)
    throw conflict(
      `an index named ${suggestion.index_name} already exists in schema ${schema}`,
      'it may be the one suggested: compare it with `\\d` in psql, or drop it first',
    )
  await audit(
    session,
    'admin.stats.advise.index_built',
    'info',
    `stats advise --verify: ${suggestion.index_statement}`,
    suggestion,
    options,
  )
  // Ctrl-C during the build: cancel it, then drop the invalid index it leaves, from a new connection.
  const release = cleanupOnSignal(async () => {
    await cancelAndClose(session)
    const fresh = await openSession(session.target, session.settings)
    try {
      await dropIndex(
        fresh,
        suggestion,
        options,
        'admin.stats.advise.index_build_failed',
        'interrupted: the invalid index was dropped',
      )
    } finally {
      await fresh.close()
    }
  })
  try {
    await outsideTransaction(session, suggestion.index_statement)
    return release
  } catch (error) {
    const mapped = mapDbError(error) as Error & {hint?: string; kind?: FluxError['kind']}
    const dropped = await dropIndex(
      session,
      suggestion,
      options,
      'admin.stats.advise.index_build_failed',
      `build failed: ${mapped.message}`,
    ).then(
      () => true,
      () => false,
    )
    release()
    throw new FluxError(
      `CREATE INDEX CONCURRENTLY ${suggestion.index_name} failed: ${mapped.message}; ${dropped ? 'the invalid index it left was dropped' : `drop the invalid index it left: DROP INDEX CONCURRENTLY ${suggestion.index_name}`}`,
      {
        kind: isFluxError(mapped) ? mapped.kind : 'database',
        hint: mapped.hint ?? 'see `fluxadmin locks --blocking` and `fluxadmin activity` for what it waited on',
      },
    )
  }
}

async function indexState(session: Session, schema: string, name: string): Promise<{present: boolean; valid: boolean}> {
  return inTransaction(
    session,
    'read',
    async (client) => (await client.query(query('advise/index-state').text, [schema, name])).rows[0],
  )
}

/** DROP INDEX CONCURRENTLY IF EXISTS, audited when there was one to drop. */
async function dropIndex(
  session: Session,
  suggestion: Suggestion,
  options: VerifyOptions,
  eventType: string,
  why: string,
): Promise<void> {
  const schema = suggestion.spec.schema
  const state = await indexState(session, schema, suggestion.index_name)
  if (!state.present) return
  const {
    rows: [{sql}],
  } = await session.client.query<{sql: string}>(query('advise/drop-index-statement').text, [
    schema,
    suggestion.index_name,
  ])
  await outsideTransaction(session, sql)
  await audit(
    session,
    eventType,
    eventType.endsWith('failed') ? 'warning' : 'info',
    `stats advise --verify: ${why}: ${sql}`,
    suggestion,
    options,
    {was_valid: state.valid},
  )
}

/** CONCURRENTLY cannot run in a transaction block: one statement on its own, under the session's statement and lock timeouts. */
async function outsideTransaction(session: Session, sql: string): Promise<void> {
  const set = query('advise/set-session-timeouts').text
  const {
    rows: [previous],
  } = await session.client.query<{statement_timeout: string; lock_timeout: string}>(set, [
    `${Math.trunc(session.settings.statementTimeoutMs)}ms`,
    `${Math.trunc(session.settings.lockTimeoutMs)}ms`,
  ])
  try {
    // The text is the server's own format('%I') output (sql/queries/advise/index-statements.sql, drop-index-statement.sql).
    await session.client.query(sql)
  } finally {
    await session.client.query(set, [previous.statement_timeout, previous.lock_timeout]).catch(() => {})
  }
}
