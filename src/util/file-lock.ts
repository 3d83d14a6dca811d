import {linkSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {processAlive} from './pid.js'

/** A lock file without a pid yet is one being written (by an older version), unless it is older than this. */
const WRITING_MS = 5000

export type LockAttempt = {release(): void} | {holder: number | undefined}

/**
 * Takes `file` exclusively. The lock appears with our pid already in it (a hard link of a written
 * file), so another process never reads it empty and takes it for stale. A lock whose process is
 * gone (a killed run) is taken over. Otherwise the answer names the live holder. A lock still held
 * when the process exits (Ctrl-C, SIGTERM) goes with it.
 */
export function takeLock(file: string): LockAttempt {
  for (;;) {
    if (tryLock(file)) {
      const release = () => {
        process.off('exit', release)
        if (lockHolder(file) === process.pid) rmSync(file, {force: true})
      }
      process.on('exit', release)
      return {release}
    }
    const holder = lockHolder(file)
    if (holder === undefined ? beingWritten(file) : processAlive(holder)) return {holder}
    rmSync(file, {force: true})
  }
}

function tryLock(file: string): boolean {
  // `.NAME.lock.PID.tmp`: the form removeStaleTemps clears when a kill -9 leaves one.
  const written = `${file}.${process.pid}.tmp`
  try {
    // Inside the try: on a full disk the file is made, then its write fails; it goes all the same.
    writeFileSync(written, `${process.pid}\n`, {mode: 0o644})
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
