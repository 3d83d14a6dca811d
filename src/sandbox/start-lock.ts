import {linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {processAlive} from './state.js'

const POLL_MS = 250
/** A lock file without a pid yet is one being written (by a start of an older version), unless it is older than this. */
const WRITING_MS = 5000

/**
 * Runs fn holding `DIR/start.lock` (created exclusively, holding our pid), so that two `sandbox start`
 * never run initdb in the same directory at once: the second waits (onWait says so once), then finds
 * the sandbox built. The lock appears with its pid already in it (a hard link of a written file), so
 * a waiter never reads it empty and takes it for stale. A lock whose pid is gone (a killed start) is
 * taken over.
 */
export async function withStartLock<T>(dir: string, onWait: (pid: number) => void, fn: () => Promise<T>): Promise<T> {
  // As initCluster makes them: parents traversable by the server user, the sandbox directory private.
  mkdirSync(dirname(dir), {recursive: true, mode: 0o755})
  mkdirSync(dir, {recursive: true, mode: 0o700})
  const file = join(dir, 'start.lock')
  let told = false
  for (;;) {
    if (tryLock(file)) break
    const holder = lockHolder(file)
    if (holder === undefined ? !beingWritten(file) : !processAlive(holder)) {
      rmSync(file, {force: true})
      continue
    }
    if (!told && holder !== undefined) {
      onWait(holder)
      told = true
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
  try {
    return await fn()
  } finally {
    if (lockHolder(file) === process.pid) rmSync(file, {force: true})
  }
}

function tryLock(file: string): boolean {
  const written = `${file}.${process.pid}`
  writeFileSync(written, `${process.pid}\n`, {mode: 0o644})
  try {
    linkSync(written, file)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    return false
  } finally {
    rmSync(written, {force: true})
  }
}

function beingWritten(file: string): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs < WRITING_MS
  } catch {
    return false
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
