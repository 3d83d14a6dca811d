import {Box, Text} from 'ink'
import {fit} from '../format.js'

export interface TableColumn {
  title: string
  /** Characters; 0 takes what is left of the width. */
  width: number
  align?: 'left' | 'right'
  /** Left out when the terminal is narrower than this. */
  hideBelow?: number
}

export interface TableProps {
  columns: TableColumn[]
  rows: Array<{key: string | number; cells: string[]; color?: string}>
  selected: number
  width: number
  height: number
  empty?: string
}

/**
 * A fixed-width table of at most `height` lines (header included) that scrolls to keep the
 * selection visible; the selected row is marked with ▶ (and inverse video where colours are on).
 */
export function Table({columns, rows, selected, width, height, empty = 'nothing to show'}: TableProps) {
  const shownColumns = columns.map((c, i) => ({...c, i})).filter((c) => !c.hideBelow || width >= c.hideBelow)
  const fixed = shownColumns.reduce((n, c) => n + c.width + 1, 2)
  const widths = shownColumns.map((c) => (c.width === 0 ? Math.max(8, width - fixed) : c.width))
  const line = (mark: string, cells: string[]) =>
    (mark + ' ' + shownColumns.map((c, j) => fit(cells[c.i] ?? '', widths[j], c.align)).join(' ')).slice(0, width)
  const visible = Math.max(1, height - 1)
  const offset = Math.max(0, Math.min(selected - visible + 1, rows.length - visible))
  const shown = rows.slice(offset, offset + visible)
  return (
    <Box flexDirection="column" height={height}>
      <Text bold wrap="truncate">
        {line(
          ' ',
          columns.map((c) => c.title),
        )}
      </Text>
      {rows.length === 0 ? (
        <Text dimColor wrap="truncate">
          {empty}
        </Text>
      ) : null}
      {shown.map((row, i) => (
        <Text key={row.key} inverse={offset + i === selected} color={row.color} wrap="truncate">
          {line(offset + i === selected ? '▶' : ' ', row.cells)}
        </Text>
      ))}
    </Box>
  )
}
