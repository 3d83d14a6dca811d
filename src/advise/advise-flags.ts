import * as Flags from '@oclif/core/flags'
import {boundedInteger, boundedNumber} from '../shared-flags.js'
import {parseDuration} from '../util/time.js'
import {DEFAULT_MAX_WRITE_OVERHEAD, DEFAULT_MIN_SAVING, type AdviseOptions} from './advise.js'
import type {AdviseResult} from './types.js'

/** `stats advise`: which statements, how much a suggestion must save, and what --verify does. */
export const adviseFlags = {
  'min-calls': boundedInteger({
    min: 0,
    max: 1e15,
    default: 10,
    summary: 'Only statements called at least this often.',
    env: 'FLUXADMIN_ADVISE_MIN_CALLS',
  }),
  'min-time': Flags.string({
    default: '0ms',
    summary: 'Only statements with at least this much total execution time (1s, 5min).',
    env: 'FLUXADMIN_ADVISE_MIN_TIME',
  }),
  query: Flags.string({
    summary: 'Advise on this one statement instead (SELECT, INSERT, UPDATE or DELETE; $1 parameters allowed).',
    exclusive: ['queryid'],
  }),
  queryid: Flags.string({
    summary: 'Advise on this statement of pg_stat_statements only (as `stats top` shows it; may be negative).',
    exclusive: ['query'],
  }),
  'min-saving': boundedNumber({
    min: 0,
    max: 100,
    default: DEFAULT_MIN_SAVING,
    summary: 'Least cost drop, in percent.',
    env: 'FLUXADMIN_ADVISE_MIN_SAVING',
  }),
  'max-write-overhead': boundedNumber({
    min: 0,
    max: 1e9,
    default: DEFAULT_MAX_WRITE_OVERHEAD,
    summary: 'Leave out indexes whose write cost is more than this many times their saving.',
  }),
  limit: boundedInteger({
    char: 'n',
    default: 100,
    min: 1,
    max: 10_000,
    summary: 'How many top statements to look at.',
  }),
  verify: Flags.boolean({
    summary: 'Build each suggested index (CONCURRENTLY), time its statements before and after, then drop it.',
  }),
  keep: Flags.boolean({summary: 'With --verify: keep the indexes.', dependsOn: ['verify']}),
  params: Flags.string({
    summary: 'With --verify: parameter sets, one JSON array per line (one statement only).',
    dependsOn: ['verify'],
  }),
}

interface AdviseFlagValues {
  'min-calls': number
  'min-time': string
  query?: string
  queryid?: string
  'min-saving': number
  'max-write-overhead': number
  limit: number
  verify: boolean
  'dry-run'?: boolean
}

export function adviseOptions(flags: AdviseFlagValues): AdviseOptions {
  return {
    minCalls: flags['min-calls'],
    minTotalMs: parseDuration(flags['min-time'], '--min-time'),
    query: flags.query,
    queryid: flags.queryid,
    minSaving: flags['min-saving'],
    maxWriteOverhead: flags['max-write-overhead'],
    limit: flags.limit,
    verify: flags.verify && !flags['dry-run'],
  }
}

/** What --verify asks before it builds anything. */
export function verifyQuestion(result: AdviseResult, database: string, keep: boolean): string {
  const n = result.suggestions.length
  return `build ${n} index${n === 1 ? '' : 'es'} CONCURRENTLY on ${database}, time ${n === 1 ? 'its' : 'their'} statements${keep ? ' and keep them' : ', and drop them again'}`
}
