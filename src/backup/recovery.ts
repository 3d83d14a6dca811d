import {setTimeout as sleep} from 'node:timers/promises'
import {query} from '../db/queries.js'
import {oneLine} from '../util/text.js'
import {lsnValue} from './pgbackrest.js'
import type {PitrServer} from './pitr-server.js'

/** Where a point-in-time recovery stops: a named restore point, a time, or the end of the archive. */
export type PitrTarget = {type: 'name'; name: string} | {type: 'time'; time: Date} | {type: 'latest'}

const POLL_MS = 200
const PROGRESS_MS = 2000

/** The last WAL segment the restored server fetched from the archive, from its log. */
function lastRestoredSegment(log: string): string | undefined {
  const all = [...log.matchAll(/restored log file "([0-9A-F]{24})" from archive/g)]
  return all.at(-1)?.[1]
}

/**
 * Polls until the server has left recovery (promoted at the target, or at the end of the archive),
 * has stopped (a recovery that failed), the timeout passes or the drill is interrupted. Connections
 * are accepted only after recovery (hot_standby is off), over the private socket.
 */
export async function waitForRecovery(
  server: PitrServer,
  superuser: string,
  timeoutMs: number,
  signal: AbortSignal,
  progress?: (message: string) => void,
): Promise<{history: string; walSegmentSize: number}> {
  const started = Date.now()
  let lastProgress = started
  for (;;) {
    if (signal.aborted) throw new Error('interrupted')
    const stopped = server.exitReason()
    if (stopped) {
      const segment = lastRestoredSegment(server.logText())
      throw new Error(
        `the server stopped during recovery: ${stopped} (last WAL segment restored: ${segment ?? 'none'}; a segment missing from the archive, or a target the WAL never reaches)`,
      )
    }
    const session = await server.session(superuser, 'template1').catch(() => undefined)
    if (session) {
      const {
        rows: [state],
      } = await session.client.query(query('backup/recovery-progress').text)
      if (!state.in_recovery) {
        const {
          rows: [row],
        } = await session.client.query(query('backup/timeline-history').text)
        await session.close()
        return {history: row.history, walSegmentSize: Number(row.wal_segment_size)}
      }
      await session.close()
    }
    const now = Date.now()
    if (now - started > timeoutMs)
      throw new Error(
        `recovery did not reach the target within ${Math.round(timeoutMs / 1000)} s (last WAL segment restored: ${lastRestoredSegment(server.logText()) ?? 'none'})`,
      )
    if (progress && now - lastProgress >= PROGRESS_MS) {
      lastProgress = now
      progress(
        `recovery: ${Math.round((now - started) / 1000)} s, last WAL segment restored: ${lastRestoredSegment(server.logText()) ?? 'none yet'}`,
      )
    }
    await sleep(POLL_MS)
  }
}

/**
 * Where and why recovery stopped, from the last line of the new timeline's history file
 * (`<parent timeline>\t<switch LSN>\t<reason>`), against the target: the restore point at its
 * manifest's LSN; past the target time; or the newest segment of the archive.
 */
export function checkStopPoint(
  history: string,
  walSegmentSize: number,
  target: PitrTarget,
  expected: {lsn?: string; archiveMax?: string},
): string {
  const last = history
    .trim()
    .split('\n')
    .filter((l) => /^\d+\t/.test(l))
    .at(-1)
  const [parentTli, switchLsn, reason] = last?.split('\t') ?? []
  if (!reason) throw new Error(`recovery ended without a timeline history: ${oneLine(history).slice(0, 200)}`)
  const at = `recovery ended at ${switchLsn} on timeline ${Number.parseInt(parentTli, 10)} (${reason})`
  if (target.type === 'name') {
    if (reason !== `at restore point "${target.name}"`) throw new Error(`${at}, not at restore point "${target.name}"`)
    if (expected.lsn && lsnValue(switchLsn) !== lsnValue(expected.lsn))
      throw new Error(`${at}, but the manifest has the restore point at ${expected.lsn}`)
    return `${at}${expected.lsn ? ", the manifest's LSN" : ''}`
  }
  if (target.type === 'time') {
    // PostgreSQL writes `before 2026-12-01 07:30:28.303599+00`: the commit time it stopped at.
    const m = /^(?:before|after) (\d{4}-\d\d-\d\d \S+)$/.exec(reason)
    const stopped = m ? new Date(m[1].replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')) : undefined
    if (!stopped || Number.isNaN(stopped.getTime()) || stopped.getTime() < target.time.getTime())
      throw new Error(`${at}: not past the target time ${target.time.toISOString()}`)
    return `${at}: the first commit after ${target.time.toISOString()} was not replayed`
  }
  const reached = walSegmentName(parentTli, lsnValue(switchLsn) - 1n, walSegmentSize)
  if (expected.archiveMax && reached < expected.archiveMax)
    throw new Error(`${at}: before the end of the archive (${expected.archiveMax}); WAL after ${reached} is missing`)
  return `${at}, the end of the archive (${expected.archiveMax ?? 'no archive listed'})`
}

/** The name of the WAL segment that holds an LSN, e.g. 000000010000000000000003. */
export function walSegmentName(tli: string, lsn: bigint, segmentSize: number): string {
  const size = BigInt(segmentSize)
  const segno = lsn / size
  const perId = 0x100000000n / size
  const hex = (n: bigint | number) => n.toString(16).toUpperCase().padStart(8, '0')
  return hex(Number.parseInt(tli, 10)) + hex(segno / perId) + hex(segno % perId)
}
