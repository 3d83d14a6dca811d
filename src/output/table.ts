import {oneLine} from '../util/text.js'
import type {Column, Row} from './format.js'
import {humanCell, unitOf} from './human.js'
import {terminalSafeValue} from './terminal-safe.js'

/** How a table is laid out: fitted to `width` unless `wide`; `expanded` undefined is psql's `\x auto`. */
export interface TableLayout {
  width?: number
  header: boolean
  color: boolean
  wide?: boolean
  expanded?: boolean
  /** Keys the table keeps longest, most important first; the other columns follow in declaration order. */
  priority?: string[]
}

export interface TableText {
  text: string
  /** Columns left out to fit the width, in declaration order. */
  hidden: string[]
}

const GAP = 2
/**
 * Text columns are narrowed with an ellipsis, each down to 60% of its width but not under MIN_TEXT
 * (long text such as queries down to MAX_FLOOR), never under its header; ids, times and numbers stay whole.
 */
const MIN_TEXT = 10
const MAX_FLOOR = 24
const ANSI = /\u001B\[[0-9;]*m/g

export const visibleLength = (text: string) => [...text.replace(ANSI, '')].length

/** Cuts to `max` visible characters, the last one an ellipsis; escape sequences are kept and closed. */
function cutVisible(text: string, max: number): string {
  if (visibleLength(text) <= max) return text
  let out = ''
  let shown = 0
  for (const part of text.split(/(\u001B\[[0-9;]*m)/)) {
    if (part.startsWith('\u001B[')) {
      out += part
      continue
    }
    for (const ch of part) {
      if (shown === max - 1) break
      out += ch
      shown++
    }
  }
  return out + '…' + (out.includes('\u001B[') ? '\u001B[0m' : '')
}

function pad(text: string, width: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, width - visibleLength(text)))
  return right ? fill + text : text + fill
}

interface Prepared {
  columns: Column[]
  cells: string[][]
  numeric: boolean[]
  narrowable: boolean[]
}

function prepare(rows: Row[], columns: Column[]): Prepared {
  const cells = rows.map((raw) => {
    // The data is made safe before any column's display adds its own styling.
    const row = terminalSafeValue(raw) as Row
    return columns.map((c) => {
      const text = c.display ? c.display(row[c.key], row) : humanCell(row[c.key], c.unit ?? unitOf(c.key))
      // A plan line keeps its spaces as EXPLAIN wrote them; other whitespace (newlines, tabs) becomes one space.
      return c.indent ? text.replace(/[^\S ]+/g, ' ') : oneLine(text)
    })
  })
  const numeric = columns.map(
    (c) =>
      rows.some((r) => typeof r[c.key] === 'number') &&
      rows.every((r) => r[c.key] === null || r[c.key] === undefined || typeof r[c.key] === 'number'),
  )
  const narrowable = columns.map(
    (c, i) =>
      !numeric[i] && (c.display !== undefined || !['id', 'time', 'date', 'age'].includes(c.unit ?? unitOf(c.key))),
  )
  return {columns, cells, numeric, narrowable}
}

const natural = (p: Prepared, i: number) =>
  Math.max(p.columns[i].key.length, ...p.cells.map((r) => visibleLength(r[i])))

/** Widths that fit `width` by narrowing the widest text columns, or undefined when they cannot. */
function narrow(p: Prepared, shown: number[], width: number): number[] | undefined {
  const widths = shown.map((i) => natural(p, i))
  const floor = shown.map((i, j) =>
    p.narrowable[i]
      ? Math.max(
          p.columns[i].key.length,
          Math.min(widths[j], MAX_FLOOR, Math.max(MIN_TEXT, Math.ceil(widths[j] * 0.6))),
        )
      : widths[j],
  )
  let total = widths.reduce((a, b) => a + b, 0) + GAP * (shown.length - 1)
  while (total > width) {
    let widest = -1
    for (let j = 0; j < widths.length; j++)
      if (widths[j] > floor[j] && (widest < 0 || widths[j] > widths[widest])) widest = j
    if (widest < 0) return undefined
    widths[widest]--
    total--
  }
  return widths
}

function rankOrder(columns: Column[], priority: string[] = []): number[] {
  const rank = (i: number) => {
    const at = priority.indexOf(columns[i].key)
    return at < 0 ? priority.length + i : at
  }
  return columns.map((_, i) => i).sort((a, b) => rank(a) - rank(b))
}

function lines(p: Prepared, shown: number[], widths: number[], layout: TableLayout): string[] {
  const row = (texts: string[], style = (s: string) => s) =>
    texts
      .map((t, j) => pad(style(cutVisible(t, widths[j])), widths[j], p.numeric[shown[j]]))
      .join(' '.repeat(GAP))
      .trimEnd()
  const out = p.cells.map((cells) => row(shown.map((i) => cells[i])))
  if (layout.header)
    out.unshift(
      row(
        shown.map((i) => p.columns[i].key),
        layout.color ? (s) => `\u001B[1m${s}\u001B[22m` : undefined,
      ),
    )
  return out
}

/** psql's `\x`: one block per record, `key  value` lines; long values continue on the next lines. */
function expandedLines(p: Prepared, width: number | undefined): string[] {
  const keyWidth = Math.max(...p.columns.map((c) => c.key.length))
  const room = width ? Math.max(MIN_TEXT, width - keyWidth - GAP) : Infinity
  const out: string[] = []
  p.cells.forEach((cells, r) => {
    const title = `-[ RECORD ${r + 1} ]`
    out.push(width ? title + '-'.repeat(Math.max(0, Math.min(width, keyWidth + GAP + 30) - title.length)) : title)
    p.columns.forEach((c, i) => {
      const chunks = wrap(cells[i], room)
      chunks.forEach((chunk, k) =>
        out.push(`${pad(k === 0 ? c.key : '', keyWidth, false)}${' '.repeat(GAP)}${chunk}`.trimEnd()),
      )
    })
  })
  return out
}

function wrap(text: string, room: number): string[] {
  const chars = [...text]
  if (text.includes('\u001B[') || chars.length <= room) return [room === Infinity ? text : cutVisible(text, room)]
  const chunks: string[] = []
  for (let at = 0; at < chars.length; at += room) chunks.push(chars.slice(at, at + room).join(''))
  return chunks
}

/** How many columns a table must show at least before `\x auto` prefers one record per block: a third, at least 3. */
const topColumns = (n: number) => Math.min(n, Math.max(3, Math.ceil(n / 3)))

/** The table as text, fitted to the width: narrowed text columns, then the lowest-priority columns hidden. */
export function layoutTable(rows: Row[], columns: Column[], layout: TableLayout): TableText {
  if (columns.length === 0) return {text: '', hidden: []}
  const p = prepare(rows, columns)
  const all = columns.map((_, i) => i)
  const block = (text: string[]) => text.join('\n') + '\n'
  if (layout.expanded && rows.length > 0)
    return {text: block(expandedLines(p, layout.wide ? undefined : layout.width)), hidden: []}
  if (layout.wide || !layout.width)
    return {
      text: block(
        lines(
          p,
          all,
          all.map((i) => natural(p, i)),
          layout,
        ),
      ),
      hidden: [],
    }
  const order = rankOrder(columns, layout.priority)
  for (let k = columns.length; k >= 1; k--) {
    const shown = order.slice(0, k).sort((a, b) => a - b)
    const widths = narrow(p, shown, layout.width)
    if (!widths) continue
    // \x auto: when not even the top-priority columns fit (or a single record would lose any), one record per block reads better.
    const tooFew = k < topColumns(columns.length) || (rows.length === 1 && k < columns.length)
    if (tooFew && layout.expanded === undefined && rows.length > 0)
      return {text: block(expandedLines(p, layout.width)), hidden: []}
    return {
      text: block(lines(p, shown, widths, layout)),
      hidden: all.filter((i) => !shown.includes(i)).map((i) => columns[i].key),
    }
  }
  if (layout.expanded === undefined && rows.length > 0) return {text: block(expandedLines(p, layout.width)), hidden: []}
  const first = order[0]
  return {
    text: block(lines(p, [first], [layout.width], layout)),
    hidden: all.filter((i) => i !== first).map((i) => columns[i].key),
  }
}

/**
 * The note on stderr when columns were left out, at most `width` characters: as many of their names
 * as fit (then `…`) with the whole hint, else with `--wide` alone, else the count without names.
 */
export function hiddenNote(hidden: string[], width = Infinity): string {
  const n = hidden.length
  const count = `${n} column${n === 1 ? '' : 's'} hidden`
  const names = (shown: number) => ` (${hidden.slice(0, shown).join(', ')}${shown < n ? ', …' : ''})`
  for (const help of [': --wide shows all, -x one record per block', ': --wide shows all']) {
    for (let shown = n; shown > 0; shown--)
      if (count.length + names(shown).length + help.length <= width) return count + names(shown) + help
  }
  return (
    [`${count}: --wide shows all, -x one record per block`, `${count}: --wide shows all`].find(
      (text) => text.length <= width,
    ) ?? count.slice(0, Math.max(0, width))
  )
}
