import {Box, Text} from 'ink'
import {bytes, num, percent, seconds} from '../format.js'
import type {OverviewRow} from '../types.js'

export const SUMMARY_LINES = 3

const rate = (n: number | null) => (n === null ? '–' : `${num(n, n < 10 ? 1 : 0)}/s`)

/** pg_activity's header, above every pane: server, sessions, throughput, processes, and the machine when it is this one. */
export function Summary({overview: o, width}: {overview?: OverviewRow; width: number}) {
  if (!o) return <Box height={SUMMARY_LINES} />
  const states = o.connections_by_state
  const idleInTx = (states['idle in transaction'] ?? 0) + (states['idle in transaction (aborted)'] ?? 0)
  const growth = o.db_growth_bytes_per_s === null ? '' : ` +${bytes(o.db_growth_bytes_per_s)}/s`
  const sys = o.system
  const lines = [
    `PostgreSQL ${o.server_version.split(' ')[0]}${o.in_recovery ? ' standby' : ''}  up ${seconds(o.uptime_s)}  size ${bytes(o.db_size_bytes)}${growth}  cache hit ${percent(o.cache_hit_ratio)}` +
      `  oldest xact ${o.oldest_xact_s === null ? '–' : seconds(o.oldest_xact_s)}`,
    `sessions ${o.connections}/${o.max_connections}: ${states.active ?? 0} active, ${states.idle ?? 0} idle, ${idleInTx} idle in tx, ${o.sessions_waiting} waiting` +
      `  tps ${num(o.xacts_per_s)}  ins/upd/del ${[o.inserts_per_s, o.updates_per_s, o.deletes_per_s].map((n) => num(n)).join('/')}/s  returned ${rate(o.rows_read_per_s)}` +
      `  temp ${num(o.temp_files)}`,
    `workers ${o.workers}/${o.max_workers}  autovac ${o.autovacuum_workers}/${o.max_autovacuum_workers}  wal snd ${o.wal_senders}/${o.max_wal_senders}` +
      ` rcv ${o.wal_receivers}  slots ${o.replication_slots}/${o.max_replication_slots}  ` +
      (sys
        ? `mem ${bytes(sys.mem_used_bytes)}/${bytes(sys.mem_total_bytes)}  swap ${bytes(sys.swap_used_bytes)}/${bytes(sys.swap_total_bytes)}  load ${sys.load.map((l) => l.toFixed(2)).join(' ')}`
        : 'system: remote'),
  ]
  return (
    <Box flexDirection="column" width={width} height={SUMMARY_LINES}>
      {lines.map((line) => (
        <Text key={line.slice(0, 12)} wrap="truncate">
          {line}
        </Text>
      ))}
    </Box>
  )
}
