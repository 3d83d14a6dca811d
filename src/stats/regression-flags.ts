import * as Flags from '@oclif/core/flags'
import {boundedInteger, boundedNumber} from '../shared-flags.js'
import {parseSince} from '../util/time.js'
import {DEFAULT_FACTOR, DEFAULT_MIN_CALLS, type RegressionOptions} from './regressions.js'
import {parseBetween} from './statement-flags.js'

/** `stats regressions`: the window, and how much slower a statement must be. */
export const regressionFlags = {
  since: Flags.string({
    summary: 'From the snapshot nearest this time (1h, 30m, or an ISO time) to now.',
    default: '1h',
    exclusive: ['between'],
  }),
  between: Flags.string({
    multiple: true,
    summary: 'Between the snapshots nearest two times: --between T1 T2.',
    exclusive: ['since'],
  }),
  factor: boundedNumber({
    min: 1.01,
    max: 1e9,
    default: DEFAULT_FACTOR,
    summary: 'Mean per call at least this many times the mean before.',
    env: 'FLUXADMIN_REGRESSION_FACTOR',
  }),
  'min-calls': boundedInteger({
    min: 1,
    max: 1e15,
    default: DEFAULT_MIN_CALLS,
    summary: 'Calls in the window at least.',
    env: 'FLUXADMIN_REGRESSION_MIN_CALLS',
  }),
  db: Flags.string({summary: 'Only statements of this database (name).'}),
  limit: boundedInteger({char: 'n', default: 20, min: 1, max: 100_000, summary: 'How many statements.'}),
}

export function regressionOptions(flags: {
  since: string
  between?: string[]
  factor: number
  'min-calls': number
  db?: string
  limit: number
}): RegressionOptions {
  return {
    ...(flags.between === undefined
      ? {since: parseSince(flags.since, '--since')}
      : {between: parseBetween(flags.between)}),
    factor: flags.factor,
    minCalls: flags['min-calls'],
    db: flags.db,
    limit: flags.limit,
  }
}

export const REGRESSION_COLUMNS = [
  'queryid',
  'factor',
  'extra_ms',
  'calls_before',
  'calls',
  'mean_before_ms',
  'mean_ms',
  'rows_per_call_before',
  'rows_per_call',
  'blks_read_per_call_before',
  'blks_read_per_call',
  'status',
  'plan_changed',
  'plan_before',
  'plan_after',
  'db_name',
  'user_name',
  'query',
]
