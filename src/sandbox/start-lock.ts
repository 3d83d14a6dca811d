import {mkdirSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {takeLock} from '../util/file-lock.js'

const POLL_MS = 250

/**
 * Runs fn holding `DIR/start.lock`, so that two `sandbox start` never run initdb in the same
 * directory at once: the second waits (onWait says so once), then finds the sandbox built.
 */
export async function withStartLock<T>(dir: string, onWait: (pid: number) => void, fn: () => Promise<T>): Promise<T> {
  // As initCluster makes them: parents traversable by the server user, the sandbox directory private.
  mkdirSync(dirname(dir), {recursive: true, mode: 0o755})
  mkdirSync(dir, {recursive: true, mode: 0o700})
  const file = join(dir, 'start.lock')
  let told = false
  let lock = takeLock(file)
  while (!('release' in lock)) {
    if (!told && lock.holder !== undefined) {
      onWait(lock.holder)
      told = true
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
    lock = takeLock(file)
  }
  try {
    return await fn()
  } finally {
    lock.release()
  }
}
