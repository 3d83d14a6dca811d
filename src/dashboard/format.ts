import {humanBytes} from '../output/human.js'
import {terminalSafe} from '../output/terminal-safe.js'

/** Text helpers for the dashboard's fixed-width cells. */

export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const flat = terminalSafe(text.replace(/\s+/g, ' '))
  if (width <= 0) return ''
  if (flat.length > width) return width === 1 ? '…' : flat.slice(0, width - 1) + '…'
  return align === 'right' ? flat.padStart(width) : flat.padEnd(width)
}

export function seconds(s: number | null | undefined): string {
  if (s === null || s === undefined) return ''
  if (s < 1) return `${Math.round(s * 1000)}ms`
  if (s < 60) return `${s.toFixed(1)}s`
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s`
  if (s < 86_400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
  return `${Math.floor(s / 86_400)}d${String(Math.floor((s % 86_400) / 3600)).padStart(2, '0')}h`
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
