import {diagnosticCommand} from '../../stats/diagnostic-command.js'

export default diagnosticCommand('duplicate-indexes', {
  summary:
    'Sets of indexes with the same table, columns, operator classes, expressions and predicate, and the DROP INDEX CONCURRENTLY for the extra ones.',
  description:
    'keep_index: a unique or constraint-backing index first (never dropped), then the most scanned. drop_statement drops the others (null when each enforces a constraint); bytes_freed is what that frees.',
  columns: [
    'schema_name',
    'table_name',
    'indexes',
    'index_bytes',
    'definition',
    'keep_index',
    'drop_statement',
    'bytes_freed',
  ],
})
