import * as Flags from '@oclif/core/flags'
import {FORMATS} from '../output/format.js'

/** Flags of `health check` and `health app`: which checks, and their thresholds. */
export const checkFlags = {
  only: Flags.string({
    summary:
      'Run only these checks or groups (server, activity, maintenance, app, settings, pgbouncer, replication); comma-separated or repeated.',
    multiple: true,
    env: 'FLUXADMIN_HEALTH_ONLY',
  }),
  skip: Flags.string({
    summary: 'Leave out these checks or groups; comma-separated or repeated.',
    multiple: true,
    env: 'FLUXADMIN_HEALTH_SKIP',
  }),
  warn: Flags.string({
    summary: 'WARNING threshold, name=value (30s, 5m, 80%, 500MB, 0); comma-separated or repeated.',
    multiple: true,
    env: 'FLUXADMIN_HEALTH_WARN',
  }),
  crit: Flags.string({
    summary: 'CRITICAL threshold, name=value; comma-separated or repeated.',
    multiple: true,
    env: 'FLUXADMIN_HEALTH_CRIT',
  }),
}

/** Flags of `health check` only: opt-in groups, the database of the activity checks, PgBouncer. */
export const scopeFlags = {
  include: Flags.string({
    summary:
      'Also run these opt-in checks: settings (statement_timeout, pg_stat_statements advice), query_regressions (stats regressions since an hour ago).',
    multiple: true,
    options: ['settings', 'query_regressions'],
    env: 'FLUXADMIN_HEALTH_INCLUDE',
  }),
  db: Flags.string({
    summary:
      'Activity checks (long transactions, idle in transaction, blocked queries) look at this database only; default: every database.',
    env: 'FLUXADMIN_HEALTH_DB',
  }),
  pgbouncer: Flags.string({
    summary: 'PgBouncer admin console URL (postgres://user@host:6432/pgbouncer): adds the pgbouncer_* checks.',
    env: 'FLUXADMIN_HEALTH_PGBOUNCER',
  }),
  stanza: Flags.string({
    summary: 'pgBackRest stanza: adds the pgbackrest_* checks (newest backup age, `pgbackrest check`).',
    env: 'FLUXADMIN_HEALTH_STANZA',
  }),
  'pgbackrest-config': Flags.string({
    summary: "pgbackrest.conf for --stanza (default: pgBackRest's own).",
    dependsOn: ['stanza'],
    env: 'FLUXADMIN_PGBACKREST_CONFIG',
  }),
}

/** --format with the two monitoring formats added; they are rendered by src/health/render.ts. */
export const healthFormatFlag = Flags.option({
  char: 'f',
  options: [...FORMATS, 'nagios', 'prometheus'],
  summary: 'Output format: table|csv|json|ndjson, nagios (one line + perfdata) or prometheus (text exposition).',
  env: 'FLUXADMIN_HEALTH_FORMAT',
  helpGroup: 'OUTPUT',
})()
