import {humanDuration} from '../util/time.js'
import {toText} from './values.js'

// Formatted in util/time.ts (the db layer names durations too); table cells read it from here.
export {humanDuration}

// Table cells only: csv, json and ndjson keep the raw typed values.

/** How a column's cells read in a table; inferred from the column name when a command does not say. */
export type Unit =
  'bytes' | 'ms' | 'seconds' | 'time' | 'date' | 'age' | 'count' | 'fraction' | 'percent' | 'id' | 'text'

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB']

/** 1968783797 -> "1.8 GB" (powers of 1024, as pg_size_pretty). */
export function humanBytes(n: number): string {
  let unit = 0
  while (Math.abs(n) >= 1024 && unit < BYTE_UNITS.length - 1) {
    n /= 1024
    unit++
  }
  return unit === 0 ? `${n} B` : `${n.toFixed(1)} ${BYTE_UNITS[unit]}`
}

/** Local time without seconds: "2026-11-25 14:02". */
export function humanTime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`
}

/** How long ago: "3m12s ago", "2d04h ago". */
function humanAge(date: Date, now = Date.now()): string {
  const ms = now - date.getTime()
  return ms < 0 ? `in ${humanDuration(-ms)}` : `${humanDuration(ms)} ago`
}

const COUNT = new Intl.NumberFormat('en-US', {maximumFractionDigits: 2})

/** The unit a column name implies (the names are stable snake_case, the same in every format). */
export function unitOf(key: string): Unit {
  if (/(^|_)(id|pid|queryid|oid|version|port|parent|depth|step)$/.test(key)) return 'id'
  if (/(^|_)bytes$/.test(key)) return 'bytes'
  if (/_ms$/.test(key)) return 'ms'
  if (/_per_s$/.test(key)) return 'count'
  if (/_s$/.test(key)) return 'seconds'
  if (/(^|_)date$/.test(key)) return 'date'
  if (/(^|_)age$/.test(key)) return 'age'
  if (/(^|_)(at|start|time|login|vacuum|autovacuum|analyze|autoanalyze)$/.test(key)) return 'time'
  if (/(^|_)hit_ratio$|^ratio$/.test(key)) return 'fraction'
  if (/pct|^dead_ratio$/.test(key)) return 'percent'
  return 'count'
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/

/** A pg interval (postgres-interval object) in milliseconds, or undefined for anything else. */
function intervalMs(value: object): number | undefined {
  if (typeof (value as {toPostgres?: unknown}).toPostgres !== 'function') return undefined
  const v = value as Record<string, number | undefined>
  const days = (v.years ?? 0) * 365 + (v.months ?? 0) * 30 + (v.days ?? 0)
  return (
    ((days * 24 + (v.hours ?? 0)) * 60 + (v.minutes ?? 0)) * 60_000 + (v.seconds ?? 0) * 1000 + (v.milliseconds ?? 0)
  )
}

/** One table cell for people: sizes, durations, local times, separated counts, percentages. */
export function humanCell(value: unknown, unit: Unit, now = Date.now()): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string' && (unit === 'time' || unit === 'age') && ISO_TIME.test(value)) value = new Date(value)
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return ''
    return unit === 'age' ? humanAge(value, now) : unit === 'date' ? humanTime(value).slice(0, 10) : humanTime(value)
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const ms = intervalMs(value)
    if (ms !== undefined) return humanDuration(ms)
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return toText(value)
  switch (unit) {
    case 'bytes':
      return humanBytes(value)
    case 'ms':
      return humanDuration(value)
    case 'seconds':
      return humanDuration(value * 1000)
    case 'fraction':
      return `${(value * 100).toFixed(1)}%`
    case 'percent':
      return `${value.toFixed(1)}%`
    // A numeric age counts transactions (xid_age).
    case 'count':
    case 'age':
      return COUNT.format(value)
    default:
      return String(value)
  }
}
