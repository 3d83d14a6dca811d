import {performance} from 'node:perf_hooks'
import {recordAudit, type AuditEvent} from '../audit/record.js'
import {mapDbError} from '../db/errors.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {ExitCode, isFluxError} from '../errors.js'
import {oneLine} from '../util/text.js'
import {COULD_NOT_RUN} from './tools.js'

export interface StepRow {
  step: number
  name: string
  status: 'pass' | 'fail' | 'skipped'
  duration_ms: number
  detail: string
}

export type StepOutcome = string | {skipped: string}

/**
 * Runs numbered steps in order and records each with its duration: after a failure (or an abort) the
 * remaining steps are reported as skipped, except those marked `always` (cleanup).
 */
export class StepRunner {
  readonly rows: StepRow[] = []
  failed?: StepRow
  /** A step found it could not run (exit 3, e.g. a scratch name already taken): no verdict on the backup. */
  refusal?: Error

  constructor(
    private signal: AbortSignal,
    private progress: (message: string) => void = () => {},
  ) {}

  async run(step: number, name: string, fn: () => Promise<StepOutcome>, always = false): Promise<void> {
    if (!always && (this.failed || this.signal.aborted)) {
      this.rows.push({
        step,
        name,
        status: 'skipped',
        duration_ms: 0,
        detail: this.failed ? `not run: step ${this.failed.step} (${this.failed.name}) failed` : 'not run: interrupted',
      })
      return
    }
    this.progress(`step ${step}: ${name}`)
    const started = performance.now()
    let row: StepRow
    try {
      const out = await fn()
      row =
        typeof out === 'string'
          ? {step, name, status: 'pass', duration_ms: 0, detail: out}
          : {step, name, status: 'skipped', duration_ms: 0, detail: out.skipped}
    } catch (error) {
      if (isFluxError(error) && error.exitCode === COULD_NOT_RUN) this.refusal ??= error
      const reason = this.signal.aborted
        ? 'interrupted (SIGINT/SIGTERM)'
        : oneLine((mapDbError(error) as Error).message).trim()
      row = {step, name, status: 'fail', duration_ms: 0, detail: reason}
      this.failed ??= row
    }
    row.duration_ms = Math.round(performance.now() - started)
    this.rows.push(row)
  }

  /** The steps for the audit metadata. */
  summary(): Array<{name: string; status: string; duration_ms: number}> {
    return this.rows.map((r) => ({name: r.name, status: r.status, duration_ms: r.duration_ms}))
  }
}

export interface AuditOutcome {
  /** Where the verdict was audited, or why it was not. */
  audit: string
  /** False when the audit row could not be written: the run is then no success. */
  audited: boolean
}

/**
 * A drill's verdict in security_events, in a READ WRITE transaction (a session that defaults to
 * read-only audits too). A failure is returned, not thrown: the verdict is printed all the same.
 */
export async function auditVerdict(session: Session, event: AuditEvent): Promise<AuditOutcome> {
  const where = `security_events of ${session.target.database}`
  try {
    await inTransaction(session, 'audit', (client) => recordAudit(client, event))
    return {audit: `recorded in ${where}`, audited: true}
  } catch (error) {
    return {audit: `not recorded in ${where}: ${oneLine((mapDbError(error) as Error).message).trim()}`, audited: false}
  }
}

/** 2 a step failed (that says more than a missing audit row); 6 every step passed but the verdict is not audited; else 0. */
export const verdictExit = (result: {ok: boolean; audited: boolean}) =>
  !result.ok ? 2 : result.audited ? ExitCode.ok : ExitCode.database

/** An AbortController fired by SIGINT / SIGTERM until release() is called. */
export function abortOnSignals(): {signal: AbortSignal; release(): void} {
  const controller = new AbortController()
  const onSignal = () => controller.abort()
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return {
    signal: controller.signal,
    release() {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    },
  }
}
