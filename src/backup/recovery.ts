import {setTimeout as sleep} from 'node:timers/promises'
import {query} from '../db/queries.js'
import type {PitrServer} from './pitr-server.js'

const POLL_MS = 200
const PROGRESS_MS = 2000

/** The last WAL segment the restored server fetched from the archive, from its log. */
export function lastRestoredSegment(log: string): string | undefined {
  const all = [...log.matchAll(/restored log file "([0-9A-F]{24})" from archive/g)]
  return all.at(-1)?.[1]
}

/**
 * Polls until the server has left recovery (promoted at the target, or at the end of the archive),
 * has stopped (a recovery that failed), the timeout passes or the drill is interrupted. Connections
 * are accepted only after recovery (hot_standby is off), over the private socket.
 */
export async function waitForRecovery(server: PitrServer, superuser: string, timeoutMs: number, signal: AbortSignal, progress?: (message: string) => void): Promise<{history: string; walSegmentSize: number}> {
  const started = Date.now()
  let lastProgress = started
  for (;;) {
    if (signal.aborted) throw new Error('interrupted')
    const stopped = server.exitReason()
    if (stopped) {
      const segment = lastRestoredSegment(server.logText())
      throw new Error(`the server stopped during recovery: ${stopped} (last WAL segment restored: ${segment ?? 'none'}; a segment missing from the archive, or a target the WAL never reaches)`)
    }
    const session = await server.session(superuser, 'template1').catch(() => undefined)
    if (session) {
      const {rows: [state]} = await session.client.query(query('backup/recovery-progress').text)
      if (!state.in_recovery) {
        const {rows: [row]} = await session.client.query(query('backup/timeline-history').text)
        await session.close()
        return {history: row.history, walSegmentSize: Number(row.wal_segment_size)}
      }
      await session.close()
    }
    const now = Date.now()
    if (now - started > timeoutMs) throw new Error(`recovery did not reach the target within ${Math.round(timeoutMs / 1000)} s (last WAL segment restored: ${lastRestoredSegment(server.logText()) ?? 'none'})`)
    if (progress && now - lastProgress >= PROGRESS_MS) {
      lastProgress = now
      progress(`recovery: ${Math.round((now - started) / 1000)} s, last WAL segment restored: ${lastRestoredSegment(server.logText()) ?? 'none yet'}`)
    }
    await sleep(POLL_MS)
  }
}
