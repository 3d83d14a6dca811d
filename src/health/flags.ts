import * as Flags from '@oclif/core/flags'
import {FORMATS} from '../output/format.js'

/** Flags of `health check` and `health app`: which checks, and their thresholds. */
export const checkFlags = {
  only: Flags.string({summary: 'Run only these checks or groups (server, activity, maintenance, app, replication); comma-separated or repeated.', multiple: true, env: 'FLUXADMIN_HEALTH_ONLY'}),
  skip: Flags.string({summary: 'Leave out these checks or groups; comma-separated or repeated.', multiple: true, env: 'FLUXADMIN_HEALTH_SKIP'}),
  warn: Flags.string({summary: 'WARNING threshold, name=value (30s, 5m, 80%, 0); comma-separated or repeated.', multiple: true, env: 'FLUXADMIN_HEALTH_WARN'}),
  crit: Flags.string({summary: 'CRITICAL threshold, name=value; comma-separated or repeated.', multiple: true, env: 'FLUXADMIN_HEALTH_CRIT'}),
}

/** --format with the two monitoring formats added; they are rendered by src/health/render.ts. */
export const healthFormatFlag = Flags.option({
  char: 'f',
  options: [...FORMATS, 'nagios', 'prometheus'],
  summary: 'Output format: table|csv|json|ndjson, nagios (one line + perfdata) or prometheus (text exposition).',
  env: 'FLUXADMIN_HEALTH_FORMAT',
  helpGroup: 'OUTPUT',
})()
