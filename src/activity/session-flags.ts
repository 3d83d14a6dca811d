import * as Flags from '@oclif/core/flags'

/** Shared by `fluxadmin activity` and `fluxadmin dashboard`. */
export const activityFlags = {
  'min-duration': Flags.string({
    summary: 'Only sessions whose current query (or idle transaction) has lasted this long: 30s, 5m, 1h.',
    env: 'FLUXADMIN_MIN_DURATION',
  }),
  filter: Flags.string({
    summary: 'Only sessions matching database=NAME, user=ROLE or application=TEXT (contains); repeatable.',
    multiple: true,
  }),
  idle: Flags.boolean({summary: 'Also list plain idle sessions.', default: false}),
}
