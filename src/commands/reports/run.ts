import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../base-command.js'
import {withProgress} from '../../output/progress.js'
import {runReport} from '../../reports/run.js'
import {connectionFlags, outputFlags, replicaFlags} from '../../shared-flags.js'

export default class ReportsRun extends BaseCommand {
  static override summary = 'Run a report and stream it as CSV, JSON, NDJSON or a table, from one consistent snapshot.'
  static override description = `Runs in a READ ONLY, REPEATABLE READ transaction; rows stream from PostgreSQL to the output without being collected (CSV, JSON and NDJSON through COPY, each line built by the server).
With --out the file appears only complete: on any error it is left untouched and the exit code is non-zero. --gzip or a .gz suffix compresses on the fly.
Progress (rows, rows/s) goes to stderr on a terminal. See \`reports list\` for the reports and their parameters.`
  static override examples = [
    '<%= config.bin %> reports run tenant-usage --since 30d --format csv --out usage.csv',
    '<%= config.bin %> reports run messages-export --org acme-studio --since 2026-01-01 --until 2026-02-01 --format ndjson --out acme.ndjson.gz',
    '<%= config.bin %> reports run projects-overdue --json',
  ]
  static override args = {name: Args.string({description: 'report name (see `reports list`)', required: true})}
  static override flags = {
    ...connectionFlags,
    ...replicaFlags,
    'statement-timeout': Flags.string({
      summary: 'Cancel the report if one statement runs longer (1h by default: exports are big).',
      default: '1h',
      env: 'FLUXADMIN_REPORT_STATEMENT_TIMEOUT',
      helpGroup: 'CONNECTION',
    }),
    ...outputFlags,
    org: Flags.string({summary: 'Only this organization (slug).', env: 'FLUXADMIN_REPORT_ORG'}),
    since: Flags.string({
      summary: 'Window start: a duration ago (30d, 12h) or an ISO date (default: as the report says).',
      env: 'FLUXADMIN_REPORT_SINCE',
    }),
    until: Flags.string({
      summary: 'Window end, exclusive: a duration ago or an ISO date (default: now).',
      env: 'FLUXADMIN_REPORT_UNTIL',
    }),
    gzip: Flags.boolean({
      summary: 'Compress the output with gzip (implied by an --out ending in .gz).',
      env: 'FLUXADMIN_REPORT_GZIP',
    }),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ReportsRun)
    const session = await this.connectForReads(flags)
    const format = this.outputFormat(flags)
    const via = process.env.FLUXADMIN_REPORT_VIA === 'rows' ? 'rows' : 'copy'
    await runReport(session, args.name, {...flags, format, via, csvProtect: !flags['csv-raw']}, (rows, columns) =>
      this.output(withProgress(rows), flags, {columns}),
    )
  }
}
