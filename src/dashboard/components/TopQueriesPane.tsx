import {Text} from 'ink'
import {num} from '../format.js'
import type {TopQueryRow} from '../types.js'
import {Table} from './Table.js'

export interface TopQueriesPaneProps {
  rows: TopQueryRow[] | null
  selected: number
  width: number
  height: number
}

/** Statements by time spent during the last tick (pg_stat_statements deltas). */
export function TopQueriesPane({rows, selected, width, height}: TopQueriesPaneProps) {
  if (rows === null)
    return (
      <Text color="yellow">
        pg_stat_statements is not available: add it to shared_preload_libraries and run CREATE EXTENSION
        pg_stat_statements
      </Text>
    )
  return (
    <Table
      width={width}
      height={height}
      selected={selected}
      empty="no statement ran during the last interval"
      columns={[
        {title: 'time ms', width: 10, align: 'right'},
        {title: 'calls/s', width: 9, align: 'right'},
        {title: 'mean ms', width: 9, align: 'right'},
        {title: 'rows', width: 8, align: 'right'},
        {title: 'database', width: 12},
        {title: 'query', width: 0},
      ]}
      rows={rows.map((r) => ({
        key: `${r.database}:${r.queryid}`,
        cells: [
          num(r.total_ms, 1),
          num(r.calls_per_s, 1),
          num(r.mean_ms, 2),
          num(r.rows),
          r.database ?? '',
          r.query ?? `(queryid ${r.queryid})`,
        ],
      }))}
    />
  )
}
