import {diagnosticCommand} from '../../stats/diagnostic-command.js'

export default diagnosticCommand('io', {
  summary:
    'Server-wide I/O by backend type, object and context (pg_stat_io, PostgreSQL 16+): reads, writes, hits, evictions, fsyncs.',
  description:
    'Who reads and writes: client backends, checkpointer, background writer, autovacuum. Many evictions or fsyncs by client backends mean shared_buffers or the background writer fall short. Times need track_io_timing. Exit 6 before PostgreSQL 16.',
  columns: [
    'backend_type',
    'object',
    'context',
    'reads',
    'read_bytes',
    'read_ms',
    'writes',
    'write_bytes',
    'write_ms',
    'writebacks',
    'extends',
    'hits',
    'hit_ratio',
    'evictions',
    'reuses',
    'fsyncs',
    'fsync_ms',
  ],
})
