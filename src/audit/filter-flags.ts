import * as Flags from '@oclif/core/flags'

/** Filters shared by `audit list` and `audit export`. */
export const auditFilterFlags = {
  user: Flags.string({summary: 'Events about this user (email or UUID).'}),
  org: Flags.string({summary: 'Events about this organization (slug or UUID).'}),
  type: Flags.string({summary: 'Event type, exact or a prefix with *: admin.org.suspended, admin.user.*'}),
  severity: Flags.option({options: ['info', 'warning', 'critical'] as const, summary: 'Only this severity.'})(),
  since: Flags.string({
    summary: 'From this time: a duration ago (1h, 7d) or an ISO date.',
    env: 'FLUXADMIN_AUDIT_SINCE',
  }),
  until: Flags.string({summary: 'Before this time: a duration ago or an ISO date.'}),
}
