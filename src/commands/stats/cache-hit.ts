import {diagnosticCommand} from '../../stats/diagnostic-command.js'

export default diagnosticCommand('cache-hit', {
  summary: 'Share of table and index block reads served from shared buffers (aim for 0.99).',
  columns: ['kind', 'ratio', 'hits', 'reads'],
})
