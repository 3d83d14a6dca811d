/** The commands `sandbox demo` runs, in order, to show what fluxadmin does on the sandbox. */
export const TOUR: Array<{title: string; args: string[]}> = [
  {title: 'Schema: migrations applied, no drift', args: ['db', 'status', '--format', 'table']},
  {title: 'Rows in every table', args: ['db', 'tables', '--format', 'table']},
]
