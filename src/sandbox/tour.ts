/** The commands `sandbox demo` runs, in order, to show what fluxadmin does on the sandbox. */
export const TOUR: Array<{title: string; args: string[]}> = [
  {title: 'Schema: migrations applied, no drift', args: ['db', 'status', '--format', 'table']},
  {title: 'Rows in every table', args: ['db', 'tables', '--format', 'table']},
  {title: 'Suspended tenants', args: ['orgs', 'list', '--status', 'suspended', '--format', 'table']},
  {
    title: 'Full-text search over messages',
    args: ['search', 'messages', 'poster "final proof"', '--limit', '5', '--format', 'table'],
  },
  {title: 'Which tenant is growing', args: ['stats', 'tenants', '--format', 'table']},
  {
    title: 'Health check (monitoring exit codes: the demo data has app-level warnings on purpose)',
    args: ['health', 'check', '--format', 'table'],
  },
  {title: 'A report for cron', args: ['reports', 'run', 'tenant-usage', '--since', '30d', '--format', 'table']},
  {title: 'Audit trail', args: ['audit', 'list', '--since', '1d', '--limit', '5', '--format', 'table']},
]
