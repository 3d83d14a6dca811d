import {Box, Text} from 'ink'
import {bytes, num, percent, seconds} from '../format.js'
import type {OverviewRow} from '../types.js'

/** On a primary: each standby with its state and replay lag, e.g. `2 standbys: s1 streaming 200ms 16.0 kB behind, s2 sync streaming 0ms`. */
function standbys(o: OverviewRow): string {
  const list = o.standbys.map(
    (s) =>
      `${s.name}${s.sync_state === 'async' ? '' : ` ${s.sync_state}`} ${s.state} ${seconds(s.replay_lag_s)}${s.replay_bytes ? ` ${bytes(s.replay_bytes)} behind` : ''}`,
  )
  return `${o.replicas} standby${o.replicas === 1 ? '' : 's'}${list.length ? `: ${list.join(', ')}` : ''}`
}

export interface OverviewPaneProps {
  overview: OverviewRow
  height: number
}

/** Server gauges and per-tick rates, one labelled line each. */
export function OverviewPane({overview: o, height}: OverviewPaneProps) {
  const byState = Object.entries(o.connections_by_state)
    .map(([state, n]) => `${n} ${state}`)
    .join(', ')
  const lines: Array<[string, string]> = [
    ['server', `PostgreSQL ${o.server_version}${o.in_recovery ? ' (standby)' : ''}, up ${seconds(o.uptime_s)}`],
    ['connections', `${o.connections} / ${o.max_connections} used${byState ? ` (${byState})` : ''}`],
    ['transactions/s', num(o.xacts_per_s, 1)],
    ['rows read/s', num(o.rows_read_per_s, 0)],
    ['rows written/s', num(o.rows_written_per_s, 0)],
    ['cache hit ratio', percent(o.cache_hit_ratio)],
    ['deadlocks (tick)', num(o.deadlocks)],
    ['temp bytes (tick)', o.temp_bytes === null ? '–' : bytes(o.temp_bytes)],
    ['replication', o.in_recovery ? `standby, replay lag ${seconds(o.replication_lag_s) || '–'}` : standbys(o)],
    ['oldest transaction', o.oldest_xact_s === null ? 'none open' : seconds(o.oldest_xact_s)],
  ]
  return (
    <Box flexDirection="column" height={height}>
      {lines.slice(0, height).map(([label, value]) => (
        <Text key={label} wrap="truncate">
          <Text dimColor>{label.padEnd(20)}</Text>
          {value}
        </Text>
      ))}
    </Box>
  )
}
