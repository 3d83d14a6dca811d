import {humanBytes, humanDuration} from '../output/human.js'
import {terminalSafe} from '../output/terminal-safe.js'
import {oneLine} from '../util/text.js'

/** Text helpers for the dashboard's fixed-width cells. */

export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const flat = terminalSafe(oneLine(text))
  if (width <= 0) return ''
  if (flat.length > width) return width === 1 ? '…' : flat.slice(0, width - 1) + '…'
  return align === 'right' ? flat.padStart(width) : flat.padEnd(width)
}

export function seconds(s: number | null | undefined): string {
  return s === null || s === undefined ? '' : humanDuration(s * 1000)
}

export function bytes(n: number | null | undefined): string {
  return n === null || n === undefined ? '' : humanBytes(n)
}

export function num(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined) return '–'
  return n.toLocaleString('en-US', {maximumFractionDigits: digits, minimumFractionDigits: digits})
}

export function percent(ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined ? '–' : `${(ratio * 100).toFixed(2)}%`
}
