import {usageError} from '../errors.js'

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  sec: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
}

/** The longest duration any flag takes by default: 100 years, far inside what dates and intervals hold. */
const MAX_DURATION_MS = 36_500 * UNITS.d

export interface DurationBounds {
  /** Smallest accepted value after rounding to whole milliseconds (default 0). */
  minMs?: number
  maxMs?: number
}

/** `500ms`, `30s`, `5m`, `2h`, `7d`, `1w` (or a bare number of milliseconds) to milliseconds, within bounds. */
export function parseDuration(text: string, flag = 'duration', bounds: DurationBounds = {}): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min|h|d|w)?\s*$/i.exec(text)
  if (!m) throw usageError(`invalid ${flag} "${text}"`, 'use a number with a unit: 500ms, 30s, 5m, 2h, 7d, 1w')
  const ms = Math.round(Number(m[1]) * UNITS[(m[2] ?? 'ms').toLowerCase()])
  const {minMs = 0, maxMs = MAX_DURATION_MS} = bounds
  if (!(ms >= minMs && ms <= maxMs)) {
    throw usageError(
      `invalid ${flag} "${text}": must be from ${formatMs(minMs)} to ${formatMs(maxMs)}`,
      'use a number with a unit: 500ms, 30s, 5m, 2h, 7d, 1w',
    )
  }
  return ms
}

/** The largest exact unit: 86400000 -> `1d`, 2147483647 -> `2147483647ms`. */
function formatMs(ms: number): string {
  for (const unit of ['w', 'd', 'h', 'min', 's'] as const)
    if (ms > 0 && ms % UNITS[unit] === 0) return `${ms / UNITS[unit]}${unit}`
  return `${ms}ms`
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-](\d{2})(?::?(\d{2}))?)?)?$/i

/** A point in time: a duration ago (`2h`, `7d`) or an ISO 8601 date/time that exists on the calendar. */
export function parseSince(text: string, flag = 'time', now = new Date()): Date {
  if (/^\s*\d+(?:\.\d+)?\s*(ms|s|sec|m|min|h|d|w)\s*$/i.test(text))
    return new Date(now.getTime() - parseDuration(text, flag))
  const m = ISO.exec(text.trim())
  if (m && isCalendarTime(m)) {
    const date = new Date(text.trim())
    if (!Number.isNaN(date.getTime())) return date
  }
  throw usageError(
    `invalid ${flag} "${text}"`,
    'use a duration ago (30m, 2h, 7d) or an existing ISO date such as 2026-01-31 or 2026-01-31T12:00:00Z',
  )
}

// Date would roll 2026-02-30 over to March 2 and 24:00 to the next day: check every field first.
function isCalendarTime(m: RegExpExecArray): boolean {
  const [year, month, day, hour, minute, second, , tzHour, tzMinute] = m.slice(1).map((v) => Number(v ?? 0))
  if (year < 1 || month < 1 || month > 12) return false
  const daysInMonth = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
  return day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59 && tzHour <= 23 && tzMinute <= 59
}

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0

/** 192000 -> "3m12s"; under a second in ms with two significant decimals ("0.42ms", "12ms"), 0 as "0ms". */
export function humanDuration(ms: number): string {
  const sign = ms < 0 ? '-' : ''
  ms = Math.abs(ms)
  if (ms === 0) return '0ms'
  if (ms < 10) return `${sign}${ms.toFixed(2)}ms`
  if (ms < 1000) return `${sign}${Math.round(ms)}ms`
  if (ms < 60_000) return `${sign}${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`
  const s = Math.round(ms / 1000)
  const two = (n: number) => String(n).padStart(2, '0')
  if (s < 3600) return `${sign}${Math.floor(s / 60)}m${two(s % 60)}s`
  if (s < 86_400) return `${sign}${Math.floor(s / 3600)}h${two(Math.floor(s / 60) % 60)}m`
  return `${sign}${Math.floor(s / 86_400)}d${two(Math.floor(s / 3600) % 24)}h`
}
