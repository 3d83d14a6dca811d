import {diagnosticCommand} from '../../stats/diagnostic-command.js'

export default diagnosticCommand('records-rank', {
  summary: 'Tables by estimated live rows (from the statistics collector, not a count), most first.',
  columns: ['schema_name', 'table_name', 'estimated_rows'],
})
