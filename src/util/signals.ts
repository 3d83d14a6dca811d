/**
 * Runs `cleanup` on the first SIGINT or SIGTERM, then raises that signal again for the next
 * handler (BaseCommand's: cancel the server's work, exit 130 or 143). Call the returned function
 * once the work is done, so that later signals pass straight through.
 */
export function cleanupOnSignal(cleanup: () => Promise<unknown>): () => void {
  const release = () => {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
  function onSignal(signal: NodeJS.Signals) {
    release()
    void cleanup().catch(() => {}).finally(() => process.kill(process.pid, signal))
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return release
}
