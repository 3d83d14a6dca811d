import {Box, Text} from 'ink'
import {fit} from '../format.js'

export interface TableColumn {
  title: string
  /** Characters; 0 takes what is left of the width. */
  width: number
  align?: 'left' | 'right'
}

export interface TableProps {
  columns: TableColumn[]
  rows: Array<{key: string | number; cells: string[]; color?: string}>
  selected: number
  width: number
  height: number
  empty?: string
}

/** A fixed-width table of exactly `height` lines (header included) that scrolls to keep the selection visible. */
export function Table({columns, rows, selected, width, height, empty = 'nothing to show'}: TableProps) {
  const fixed = columns.reduce((n, c) => n + c.width + 1, 0)
  const widths = columns.map((c) => (c.width === 0 ? Math.max(8, width - fixed - 1) : c.width))
  const line = (cells: string[]) => cells.map((cell, i) => fit(cell, widths[i], columns[i].align)).join(' ')
  const visible = Math.max(1, height - 1)
  const offset = Math.max(0, Math.min(selected - visible + 1, rows.length - visible))
  const shown = rows.slice(offset, offset + visible)
  return (
    <Box flexDirection="column" height={height}>
      <Text bold wrap="truncate">{fit(line(columns.map((c) => c.title)), width)}</Text>
      {rows.length === 0 ? <Text dimColor wrap="truncate">{empty}</Text> : null}
      {shown.map((row, i) => (
        <Text key={row.key} inverse={offset + i === selected} color={row.color} wrap="truncate">
          {fit(line(row.cells), width)}
        </Text>
      ))}
    </Box>
  )
}
