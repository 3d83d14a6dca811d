import {query} from '../db/queries.js'
import {openSession, type Session} from '../db/session.js'

/** How long writes to the organization waited at most while the probe ran, and how many probes ran. */
export interface ProbeResult {
  longest_ms: number
  probes: number
}

const PROBE_INTERVAL_MS = 20

/**
 * Runs a write that changes nothing (citus/write-probe) against the organization's shard every 20 ms on a
 * session of its own, until stopped: its longest wait is how long a shard move blocked the organization's writes.
 */
export async function startWriteProbe(session: Session, organizationId: string): Promise<() => Promise<ProbeResult>> {
  const probe = await openSession(session.target, session.settings)
  const result: ProbeResult = {longest_ms: 0, probes: 0}
  let running = true
  // A probe that fails (its statement timeout) ends the probing; the move goes on, and the longest wait so far stands.
  const loop = (async () => {
    while (running) {
      const started = performance.now()
      await probe.client.query(query('citus/write-probe').text, [organizationId])
      result.longest_ms = Math.max(result.longest_ms, performance.now() - started)
      result.probes++
      await new Promise((r) => setTimeout(r, PROBE_INTERVAL_MS))
    }
  })().catch(() => {})
  let stopped: Promise<ProbeResult> | undefined
  return () =>
    (stopped ??= (async () => {
      running = false
      await loop
      await probe.close()
      return {longest_ms: Math.round(result.longest_ms), probes: result.probes}
    })())
}
