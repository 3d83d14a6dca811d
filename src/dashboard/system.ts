import {readFileSync} from 'node:fs'
import type {ProcessFigures, SystemFigures} from './types.js'

// Linux /proc, read only when the server's processes are on this machine and readable.
const CLOCK_TICKS = 100
const PAGE_BYTES = 4096

const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

/** True when `pid` (our own backend's) is a PostgreSQL process on this machine whose /proc entry we can read. */
export function isLocalServer(pid: number): boolean {
  return /^postgres/.test(read(`/proc/${pid}/cmdline`) ?? '') && read(`/proc/${pid}/stat`) !== undefined
}

/** Memory, swap and load average of this machine. */
export function systemFigures(): SystemFigures | null {
  const meminfo = read('/proc/meminfo')
  const loadavg = read('/proc/loadavg')
  if (!meminfo || !loadavg) return null
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(meminfo)?.[1] ?? 0) * 1024
  const [a, b, c] = loadavg.split(' ').map(Number)
  return {
    mem_total_bytes: kb('MemTotal'),
    mem_used_bytes: kb('MemTotal') - kb('MemAvailable'),
    swap_total_bytes: kb('SwapTotal'),
    swap_used_bytes: kb('SwapTotal') - kb('SwapFree'),
    load: [a, b, c],
  }
}

/** One process's cumulative CPU time and IO, and its resident memory, at a moment. */
export interface ProcessSample {
  at: number
  cpu_ticks: number
  rss_bytes: number
  read_bytes: number | null
  write_bytes: number | null
}

export function processSample(pid: number, at = Date.now()): ProcessSample | undefined {
  const stat = read(`/proc/${pid}/stat`)
  if (!stat) return undefined
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const io = read(`/proc/${pid}/io`)
  const ioField = (name: string) => (io ? Number(new RegExp(`^${name}: (\\d+)`, 'm').exec(io)?.[1] ?? 0) : null)
  return {
    at,
    cpu_ticks: Number(fields[11]) + Number(fields[12]),
    rss_bytes: Number(fields[21]) * PAGE_BYTES,
    read_bytes: ioField('read_bytes'),
    write_bytes: ioField('write_bytes'),
  }
}

export function processFigures(
  prev: ProcessSample | undefined,
  cur: ProcessSample | undefined,
  memTotal: number,
): ProcessFigures {
  if (!cur) return {cpu_pct: null, mem_pct: null, read_bytes_per_s: null, write_bytes_per_s: null}
  const seconds = prev ? (cur.at - prev.at) / 1000 : 0
  const per = (a: number | null, b: number | null | undefined) =>
    seconds > 0 && a !== null && b !== null && b !== undefined ? Math.max(0, Math.round((a - b) / seconds)) : null
  return {
    cpu_pct: seconds > 0 ? Math.round((1000 * (cur.cpu_ticks - prev!.cpu_ticks)) / CLOCK_TICKS / seconds) / 10 : null,
    mem_pct: memTotal > 0 ? Math.round((1000 * cur.rss_bytes) / memTotal) / 10 : null,
    read_bytes_per_s: per(cur.read_bytes, prev?.read_bytes),
    write_bytes_per_s: per(cur.write_bytes, prev?.write_bytes),
  }
}
