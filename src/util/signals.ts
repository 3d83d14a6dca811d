/** Cleanups to run (all at once) on the first SIGINT or SIGTERM. */
const cleanups = new Map<symbol, () => Promise<unknown>>()

/** Asked first (BaseCommand: a committed change is finishing): true lets the work and its cleanups go on. */
let keepGoing: (signal: NodeJS.Signals) => Promise<boolean> = async () => false

export function setKeepGoing(decide: (signal: NodeJS.Signals) => Promise<boolean>): void {
  keepGoing = decide
}

async function onSignal(signal: NodeJS.Signals) {
  if (await keepGoing(signal)) return
  const pending = [...cleanups.values()]
  cleanups.clear()
  detach()
  void Promise.allSettled(pending.map((cleanup) => cleanup())).finally(() => process.kill(process.pid, signal))
}

function detach() {
  process.off('SIGINT', onSignal)
  process.off('SIGTERM', onSignal)
}

/**
 * Runs `cleanup` on the first SIGINT or SIGTERM, then raises that signal again for the next
 * handler (BaseCommand's: cancel the server's work, exit 130 or 143); every cleanup registered
 * at that moment has finished before. Call the returned function once the work is done, so that
 * later signals pass straight through.
 */
export function cleanupOnSignal(cleanup: () => Promise<unknown>): () => void {
  if (cleanups.size === 0) {
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  }
  const key = Symbol('cleanup')
  cleanups.set(key, () => cleanup().catch(() => {}))
  return () => {
    if (cleanups.delete(key) && cleanups.size === 0) detach()
  }
}
