import {closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {processAlive} from './state.js'

const POLL_MS = 250

/**
 * Runs fn holding `DIR/start.lock` (created exclusively, holding our pid), so that two `sandbox start`
 * never run initdb in the same directory at once: the second waits (onWait says so once), then finds
 * the sandbox built. A lock whose pid is gone (a killed start) is taken over.
 */
export async function withStartLock<T>(dir: string, onWait: (pid: number) => void, fn: () => Promise<T>): Promise<T> {
  // As initCluster makes them: parents traversable by the server user, the sandbox directory private.
  mkdirSync(dirname(dir), {recursive: true, mode: 0o755})
  mkdirSync(dir, {recursive: true, mode: 0o700})
  const file = join(dir, 'start.lock')
  let told = false
  for (;;) {
    try {
      const fd = openSync(file, 'wx', 0o644)
      writeSync(fd, `${process.pid}\n`)
      closeSync(fd)
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const holder = lockHolder(file)
    if (holder === undefined || !processAlive(holder)) {
      rmSync(file, {force: true})
      continue
    }
    if (!told) onWait(holder)
    told = true
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
  try {
    return await fn()
  } finally {
    if (lockHolder(file) === process.pid) rmSync(file, {force: true})
  }
}

function lockHolder(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim())
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}
