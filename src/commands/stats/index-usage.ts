import {diagnosticCommand} from '../../stats/diagnostic-command.js'

export default diagnosticCommand('index-usage', {
  summary: 'How often each table is read through an index rather than a sequential scan, largest tables first.',
  columns: ['schema_name', 'table_name', 'index_scan_pct', 'idx_scan', 'seq_scan', 'estimated_rows'],
})
