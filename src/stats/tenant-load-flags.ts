import * as Flags from '@oclif/core/flags'
import {usageError} from '../errors.js'
import {parseDuration, parseSince} from '../util/time.js'
import {LOG_FORMATS, type LogFormat} from './server-log.js'
import type {LoadSource} from './tenant-load.js'

/** The flags of `stats tenants --load`: which source, and its window. */
export const tenantLoadFlags = {
  load: Flags.boolean({
    summary:
      "Rank by load instead of size: each organization's share of calls and time over a window (--log or --sample).",
  }),
  log: Flags.string({
    summary:
      'Read this server log (csvlog .csv, jsonlog .json, else stderr; .gz too), written with log_min_duration_statement = 0.',
    env: 'FLUXADMIN_SERVER_LOG',
  }),
  'log-format': Flags.option({options: [...LOG_FORMATS], summary: "The log's format when its name does not say it."})(),
  since: Flags.string({summary: 'With --log: only statements since then (30m, 2h, or an ISO time).'}),
  sample: Flags.string({summary: 'Sample pg_stat_activity every 100 ms for this long instead (10s, 1m).'}),
}

interface LoadFlagValues {
  load?: boolean
  log?: string
  'log-format'?: LogFormat
  since?: string
  sample?: string
}

/** The source the flags name; a usage error (exit 2) for a combination that cannot work. */
export function loadSource(flags: LoadFlagValues): LoadSource | undefined {
  const loadOnly = (['log', 'log-format', 'since', 'sample'] as const).find((f) => flags[f] !== undefined)
  if (!flags.load) {
    if (loadOnly)
      throw usageError(
        `--${loadOnly} goes with --load`,
        'e.g. stats tenants --load --log /var/log/postgresql/postgresql.csv',
      )
    return undefined
  }
  if (flags.log !== undefined && flags.sample !== undefined)
    throw usageError(
      '--log and --sample are two sources: give one',
      'the log sees every statement with its parameters; sampling needs no log settings',
    )
  if (flags.log !== undefined)
    return {
      log: flags.log,
      format: flags['log-format'],
      since: flags.since === undefined ? undefined : parseSince(flags.since, '--since'),
    }
  if (flags.since !== undefined || flags['log-format'] !== undefined)
    throw usageError(
      `--${flags.since === undefined ? 'log-format' : 'since'} goes with --log`,
      "sampling's window is --sample",
    )
  return {sampleMs: parseDuration(flags.sample ?? '10s', '--sample', {minMs: 100, maxMs: 3_600_000})}
}
