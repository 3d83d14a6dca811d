import {BaseCommand} from '../../base-command.js'
import {reportSummaries} from '../../reports/catalog.js'
import {outputFlags} from '../../shared-flags.js'

export default class ReportsList extends BaseCommand {
  static override summary = 'List every report with its description, parameters and columns.'
  static override description =
    'Each report is one SQL file in sql/queries/reports/; this reads their headers, without connecting.'
  static override examples = ['<%= config.bin %> reports list', '<%= config.bin %> reports list --json']
  static override flags = {...outputFlags}

  async run(): Promise<void> {
    const {flags} = await this.parse(ReportsList)
    await this.output(reportSummaries(), flags, {columns: ['name', 'description', 'parameters', 'columns']})
  }
}
