import type {LockTreeRow} from '../../activity/locks.js'
import {seconds} from '../format.js'
import {Table} from './Table.js'

export interface LockTreePaneProps {
  rows: LockTreeRow[]
  selected: number
  width: number
  height: number
}

/** Blocking chains: each blocker with the sessions waiting on it indented below. */
export function LockTreePane({rows, selected, width, height}: LockTreePaneProps) {
  return (
    <Table
      width={width}
      height={height}
      selected={selected}
      empty="no session is blocked"
      columns={[
        {title: 'lock tree', width: 16},
        {title: 'mode', width: 28},
        {title: 'relation', width: 16},
        {title: 'waiting', width: 8, align: 'right'},
        {title: 'state', width: 11},
        {title: 'query', width: 0},
      ]}
      rows={rows.map((r, i) => ({
        key: `${i}:${r.pid}`,
        color: r.depth === 0 ? 'yellow' : 'red',
        cells: [
          r.tree,
          r.waiting_mode ? `waits ${r.waiting_mode}` : r.held_modes ? `holds ${r.held_modes}` : '',
          r.relation ?? r.locktype ?? '',
          seconds(r.wait_s),
          r.state ?? '',
          r.query ?? '',
        ],
      }))}
    />
  )
}
