import {usageError} from '../errors.js'

const UNITS: Record<string, number> = {
  ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000,
}

/** `500ms`, `30s`, `5m`, `2h`, `7d`, `1w` (or a bare number of milliseconds) to milliseconds. */
export function parseDuration(text: string, flag = 'duration'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min|h|d|w)?\s*$/i.exec(text)
  if (!m) throw usageError(`invalid ${flag} "${text}"`, 'use a number with a unit: 500ms, 30s, 5m, 2h, 7d, 1w')
  return Math.round(Number(m[1]) * UNITS[(m[2] ?? 'ms').toLowerCase()])
}

/** A point in time: a duration ago (`2h`, `7d`) or an ISO 8601 date/time. */
export function parseSince(text: string, flag = 'time', now = new Date()): Date {
  if (/^\s*\d+(?:\.\d+)?\s*(ms|s|sec|m|min|h|d|w)\s*$/i.test(text)) return new Date(now.getTime() - parseDuration(text, flag))
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}(:?\d{2})?)?)?$/.test(text.trim())) {
    const date = new Date(text.trim())
    if (!Number.isNaN(date.getTime())) return date
  }
  throw usageError(`invalid ${flag} "${text}"`, 'use a duration ago (30m, 2h, 7d) or an ISO date such as 2026-01-31 or 2026-01-31T12:00:00Z')
}
