import {bytes, seconds} from '../format.js'
import type {ActivityRow} from '../types.js'
import {Table} from './Table.js'

export interface ActivityPaneProps {
  rows: ActivityRow[]
  selected: number
  /** Pids tagged with space: marked with * before the pid. */
  tagged?: ReadonlySet<number>
  width: number
  height: number
}

const STATE: Record<string, string> = {
  'idle in transaction': 'idle in tx',
  'idle in transaction (aborted)': 'idle in tx!',
}

const perSecond = (n: number | null) => (typeof n === 'number' ? `${bytes(n)}/s` : '')
const pct = (n: number | null) => (typeof n === 'number' ? n.toFixed(1) : '')

/**
 * Sessions, with every blocker of a blocked session in `blocked by` (red) and blockers in yellow;
 * CPU%, MEM% and IO per second of each backend when the server runs on this machine; tagged sessions marked *.
 */
export function ActivityPane({rows, selected, tagged, width, height}: ActivityPaneProps) {
  const local = rows.some((r) => typeof r.mem_pct === 'number')
  const system = local
    ? [
        {title: 'cpu%', width: 5, align: 'right' as const},
        {title: 'mem%', width: 5, align: 'right' as const},
        {title: 'read/s', width: 10, align: 'right' as const, hideBelow: 140},
        {title: 'write/s', width: 10, align: 'right' as const, hideBelow: 140},
      ]
    : []
  return (
    <Table
      width={width}
      height={height}
      selected={selected}
      empty="no sessions match (i shows idle sessions)"
      columns={[
        {title: 'pid', width: 7, align: 'right'},
        {title: 'user', width: 10},
        // When local, the process columns take the application's place on narrow terminals.
        {title: 'application', width: 12, hideBelow: local ? 120 : undefined},
        {title: 'client', width: 15, hideBelow: 140},
        {title: 'state', width: 11},
        {title: 'wait', width: 16, hideBelow: 100},
        {title: 'duration', width: 9, align: 'right'},
        {title: 'blocked by', width: 12},
        ...system,
        {title: 'query', width: 0},
      ]}
      rows={rows.map((r) => ({
        key: r.pid,
        color: r.blocked_by.length > 0 ? 'red' : r.blocking.length > 0 ? 'yellow' : undefined,
        cells: [
          `${tagged?.has(r.pid) ? '*' : ''}${r.pid}`,
          r.user ?? '',
          r.application ?? '',
          r.client ?? '',
          STATE[r.state ?? ''] ?? r.state ?? '',
          r.wait_event ? `${r.wait_event_type}:${r.wait_event}` : '',
          seconds(r.duration_s),
          r.blocked_by.join(','),
          ...(local
            ? [pct(r.cpu_pct), pct(r.mem_pct), perSecond(r.read_bytes_per_s), perSecond(r.write_bytes_per_s)]
            : []),
          r.query ?? '',
        ],
      }))}
    />
  )
}
