import * as Flags from '@oclif/core/flags'
import {usageError} from '../errors.js'
import {boundedInteger} from '../shared-flags.js'
import {parseSince} from '../util/time.js'
import type {StatementFilters} from './statements.js'

/** Filters shared by `stats top` and `stats calls`. */
export const statementFlags = {
  db: Flags.string({summary: 'Only statements of this database (name).'}),
  user: Flags.string({summary: 'Only statements of this role (name).'}),
  'min-calls': boundedInteger({min: 0, max: 1e15, default: 0, summary: 'Leave out statements called fewer times.'}),
  query: Flags.string({
    summary: 'Only statements whose normalized text contains this (case-insensitive, taken literally).',
  }),
  'include-own': Flags.boolean({
    summary: "Also fluxadmin's own statements (left out by default, as in the dashboard).",
  }),
}

export function statementFilters(flags: {
  db?: string
  user?: string
  'min-calls'?: number
  query?: string
  'include-own'?: boolean
}): StatementFilters {
  return {
    db: flags.db,
    user: flags.user,
    minCalls: flags['min-calls'],
    query: flags.query,
    excludeOwn: !flags['include-own'],
  }
}

/** `--between T1 T2`: exactly two times (durations ago or ISO times). */
export function parseBetween(values: string[]): [Date, Date] {
  if (values.length !== 2)
    throw usageError(
      `--between takes two times, got ${values.length}`,
      'e.g. --between 2h 1h, or --between 2026-01-31T02:00:00Z 2026-01-31T03:00:00Z',
    )
  return [parseSince(values[0], '--between'), parseSince(values[1], '--between')]
}
