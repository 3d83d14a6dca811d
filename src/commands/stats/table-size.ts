import {diagnosticCommand} from '../../stats/diagnostic-command.js'

export default diagnosticCommand('table-size', {
  summary: 'Size of every table: heap, indexes, TOAST and total, largest first.',
  description: 'table_bytes + index_bytes + toast_bytes = total_bytes; sizes are raw bytes in csv and json.',
  columns: ['schema_name', 'table_name', 'table_bytes', 'index_bytes', 'toast_bytes', 'total_bytes'],
})
