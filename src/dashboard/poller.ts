import {EventEmitter} from 'node:events'
import type {ActivityFilter} from '../activity/sessions.js'
import {type BackendSignal, signalBackends, signalSummary} from '../activity/backend.js'
import {explainRunning, type RunningPlan} from '../activity/explain-running.js'
import {mapDbError} from '../db/errors.js'
import type {Session} from '../db/session.js'
import {FluxError, usageError} from '../errors.js'
import {type Capabilities, capabilities, newMemory, runTick} from './tick.js'
import type {PollerState} from './types.js'

/** What the Ink view needs from its data source; tests give it fixed rows instead. */
export interface Poller {
  getState(): PollerState
  /** Called with every new state (new data, error, pause, interval); returns an unsubscribe function. */
  subscribe(listener: (state: PollerState) => void): () => void
  setIntervalMs(ms: number): void
  setPaused(paused: boolean): void
  setShowIdle(showIdle: boolean): void
  setLockTree(on: boolean): void
  /** Cancels or terminates backends (the selected one, or those tagged; already confirmed by the user) in one statement, audited; resolves to a status line. */
  signal(pids: number[], signal: BackendSignal): Promise<string>
  /** A plain EXPLAIN of a session's statement (never ANALYZE). */
  explain(statement: string): Promise<RunningPlan>
  stop(): Promise<void>
}

const MIN_INTERVAL_MS = 500
const MAX_INTERVAL_MS = 60_000
const MAX_BACKOFF_MS = 30_000

/** `--interval` seconds (2, 0.5) to milliseconds, within the limits the +/- keys keep too. */
export function parseInterval(text: string): number {
  const seconds = Number(text)
  if (!Number.isFinite(seconds) || seconds * 1000 < MIN_INTERVAL_MS || seconds * 1000 > MAX_INTERVAL_MS) {
    throw usageError(
      `invalid --interval "${text}"`,
      `seconds between ${MIN_INTERVAL_MS / 1000} and ${MAX_INTERVAL_MS / 1000}`,
    )
  }
  return Math.round(seconds * 1000)
}

export interface PollerOptions {
  /** Opens the one connection (again, after it drops). */
  connect: () => Promise<Session>
  intervalMs: number
  filter: ActivityFilter
  actor?: string
}

/**
 * Runs one tick per interval on one connection. A dropped connection is reported in the state and
 * reopened with exponential backoff (1 s, 2 s, 4 s ... 30 s); other errors are shown and the next tick runs.
 */
export function createPoller(options: PollerOptions): Poller {
  const events = new EventEmitter()
  let state: PollerState = {
    connected: false,
    paused: false,
    intervalMs: options.intervalMs,
    showIdle: Boolean(options.filter.includeIdle),
  }
  let session: Session | undefined
  let caps: Capabilities | undefined
  let memory = newMemory()
  let lockTree = false
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  let failures = 0
  // Ticks and signals share the one connection: run them one at a time.
  let chain: Promise<unknown> = Promise.resolve()
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn, fn)
    chain = next.catch(() => {})
    return next
  }
  const update = (patch: Partial<PollerState>) => {
    state = {...state, ...patch}
    events.emit('state', state)
  }
  const schedule = (ms: number) => {
    if (timer) clearTimeout(timer)
    if (!stopped) timer = setTimeout(() => void exclusive(tick), ms)
  }
  const dropSession = async () => {
    const s = session
    session = undefined
    caps = undefined
    await s?.close()
  }

  async function tick() {
    if (stopped) return
    const started = Date.now()
    try {
      if (!session) {
        session = await options.connect()
        caps = await capabilities(session)
      }
      const data = await runTick(session, memory, {
        filter: {...options.filter, includeIdle: state.showIdle},
        caps: caps!,
        lockTree,
      })
      failures = 0
      update({data, error: undefined, connected: true, retryAt: undefined})
      if (!state.paused) schedule(Math.max(0, state.intervalMs - (Date.now() - started)))
    } catch (error) {
      const mapped = mapDbError(error) as Error
      const lost = mapped instanceof FluxError && mapped.kind === 'connection'
      if (lost) {
        await dropSession()
        memory = newMemory()
        failures++
        const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (failures - 1))
        update({error: mapped.message, connected: false, retryAt: Date.now() + delay})
        schedule(delay)
      } else {
        update({error: mapped.message})
        if (!state.paused) schedule(state.intervalMs)
      }
    }
  }

  schedule(0)
  return {
    getState: () => state,
    subscribe(listener) {
      events.on('state', listener)
      return () => events.off('state', listener)
    },
    setIntervalMs(ms) {
      update({intervalMs: Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, ms))})
      if (!state.paused && state.connected) schedule(state.intervalMs)
    },
    setPaused(paused) {
      update({paused})
      if (paused && timer && state.connected) clearTimeout(timer)
      else if (!paused) schedule(0)
    },
    setShowIdle(showIdle) {
      update({showIdle})
      if (!state.paused) schedule(0)
    },
    setLockTree(on) {
      lockTree = on
      if (!state.paused) schedule(0)
    },
    signal(pids, signal) {
      const which = pids.length === 1 ? `backend ${pids[0]}` : `${pids.length} backends`
      return exclusive(async () => {
        if (!session) return `not connected: ${which} not signalled`
        try {
          const results = await signalBackends(session, {
            selection: {pids},
            signal,
            actor: options.actor,
            confirm: async () => true,
          })
          if (!state.paused) schedule(0)
          return pids.length === 1
            ? `backend ${pids[0]} ${results[0].action} (audited)`
            : `${signalSummary(results)} (audited)`
        } catch (error) {
          return `${which}: ${(mapDbError(error) as Error).message}`
        }
      })
    },
    explain(statement) {
      return exclusive(async () => (session ? explainRunning(session, statement) : {reason: 'not connected'}))
    },
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await chain
      await dropSession()
      events.removeAllListeners()
    },
  }
}
