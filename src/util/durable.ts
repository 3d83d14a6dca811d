import {constants, promises as fs} from 'node:fs'
import {basename, dirname, join} from 'node:path'

// A rename alone can reach the disk before the data it names: after a crash the final name would
// then hold an empty or partial file. So the data is synced first, and the directory after.

/** A file opens write-only (it may be write-only: a replaced file's mode is kept), a directory read-only. */
async function syncPath(path: string): Promise<void> {
  const handle = await fs.open(path, (await fs.stat(path)).isDirectory() ? 'r' : constants.O_WRONLY)
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Renames a finished temporary file or directory onto its name: after a crash the name holds the old content or all of the new. */
export async function renameDurably(temp: string, final: string): Promise<void> {
  await syncPath(temp)
  await fs.rename(temp, final)
  // The rename is done: a directory this user may write but not read stays unsynced rather than fail the command.
  await syncPath(dirname(final)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EACCES' && error.code !== 'EPERM') throw error
  })
}

/** Writes a small file through `.NAME.PID.tmp` and renameDurably: readers, and a crash, never leave half of it. */
export async function writeFileDurably(path: string, content: string, mode: number): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
  try {
    await fs.writeFile(temp, content, {mode})
    await renameDurably(temp, path)
  } catch (error) {
    // A full disk: the file is made but not filled, and must not stay behind.
    await fs.rm(temp, {force: true})
    throw error
  }
}

const FLUSH_EVERY = 8 << 20

/**
 * While a large file is being written, hands what is written so far to the disk in the background
 * (fdatasync every 8 MB), as PostgreSQL's *_flush_after settings do: the final sync before the
 * rename then only has the tail to wait for, not the whole file. Returns the stop, which waits
 * for a sync under way. Its errors are left to that final sync, which reports them.
 */
export function flushBehind(handle: fs.FileHandle, written: () => number): () => Promise<void> {
  let synced = 0
  let running: Promise<void> | undefined
  const timer = setInterval(() => {
    const upTo = written()
    if (running || upTo - synced < FLUSH_EVERY) return
    running = handle
      .datasync()
      .then(
        () => {
          synced = upTo
        },
        () => {},
      )
      .finally(() => {
        running = undefined
      })
  }, 20)
  timer.unref()
  return async () => {
    clearInterval(timer)
    await running
  }
}
