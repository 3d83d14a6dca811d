import {performance} from 'node:perf_hooks'
import {mapDbError} from '../db/errors.js'
import {isFluxError} from '../errors.js'
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

  constructor(private signal: AbortSignal, private progress: (message: string) => void = () => {}) {}

  async run(step: number, name: string, fn: () => Promise<StepOutcome>, always = false): Promise<void> {
    if (!always && (this.failed || this.signal.aborted)) {
      this.rows.push({step, name, status: 'skipped', duration_ms: 0, detail: this.failed ? `not run: step ${this.failed.step} (${this.failed.name}) failed` : 'not run: interrupted'})
      return
    }
    this.progress(`step ${step}: ${name}`)
    const started = performance.now()
    let row: StepRow
    try {
      const out = await fn()
      row = typeof out === 'string' ? {step, name, status: 'pass', duration_ms: 0, detail: out} : {step, name, status: 'skipped', duration_ms: 0, detail: out.skipped}
    } catch (error) {
      if (isFluxError(error) && error.exitCode === COULD_NOT_RUN) this.refusal ??= error
      const reason = this.signal.aborted ? 'interrupted (SIGINT/SIGTERM)' : oneLine((mapDbError(error) as Error).message).trim()
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

export const names = (items: string[], max = 5) => items.slice(0, max).join(', ') + (items.length > max ? ` (+${items.length - max} more)` : '')
