import {diagnosticCommand} from '../../stats/diagnostic-command.js'

export default diagnosticCommand('duplicate-indexes', {
  summary: 'Sets of indexes with the same table, columns, operator classes, expressions and predicate.',
  columns: ['schema_name', 'table_name', 'indexes', 'index_bytes', 'definition'],
})
