import {diagnosticCommand} from '../../stats/diagnostic-command.js'

export default diagnosticCommand('seq-scans', {
  summary: 'Tables by number of sequential scans, with the rows they read.',
  columns: ['schema_name', 'table_name', 'seq_scan', 'seq_tup_read', 'estimated_rows'],
})
