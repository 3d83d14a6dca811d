import type {SessionRow} from '../../activity/sessions.js'
import {seconds} from '../format.js'
import {Table} from './Table.js'

export interface ActivityPaneProps {
  rows: SessionRow[]
  selected: number
  width: number
  height: number
}

const STATE: Record<string, string> = {'idle in transaction': 'idle in tx', 'idle in transaction (aborted)': 'idle in tx!'}

/** Sessions, with every blocker of a blocked session in `blocked by` (red) and blockers in yellow. */
export function ActivityPane({rows, selected, width, height}: ActivityPaneProps) {
  return (
    <Table
      width={width}
      height={height}
      selected={selected}
      empty="no sessions match (i shows idle sessions)"
      columns={[
        {title: 'pid', width: 7, align: 'right'},
        {title: 'user', width: 10},
        {title: 'application', width: 12},
        {title: 'client', width: 15, hideBelow: 140},
        {title: 'state', width: 11},
        {title: 'wait', width: 16, hideBelow: 100},
        {title: 'duration', width: 9, align: 'right'},
        {title: 'blocked by', width: 12},
        {title: 'query', width: 0},
      ]}
      rows={rows.map((r) => ({
        key: r.pid,
        color: r.blocked_by.length > 0 ? 'red' : r.blocking.length > 0 ? 'yellow' : undefined,
        cells: [
          String(r.pid), r.user ?? '', r.application ?? '', r.client ?? '', STATE[r.state ?? ''] ?? r.state ?? '',
          r.wait_event ? `${r.wait_event_type}:${r.wait_event}` : '', seconds(r.duration_s),
          r.blocked_by.join(','), r.query ?? '',
        ],
      }))}
    />
  )
}
