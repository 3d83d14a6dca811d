import {open, rm, rename, access, type FileHandle} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'
import {notFound} from '../errors.js'
import {cleanupOnSignal} from '../util/signals.js'

export interface ArchiveFile {
  handle: FileHandle
  /** fsync, close and rename onto the final path: the archive appears complete or not at all. */
  commit(): Promise<void>
  abort(): Promise<void>
}

/** A temporary file beside `out`, removed on failure or on SIGINT/SIGTERM. */
export async function createArchiveFile(out: string): Promise<ArchiveFile> {
  const dir = dirname(out)
  await access(dir).catch(() => { throw notFound(`directory ${dir} does not exist`, 'create it first or choose another --out path') })
  const temp = join(dir, `.${basename(out)}.${process.pid}.${Date.now()}.tmp`)
  const handle = await open(temp, 'wx', 0o600)
  const off = cleanupOnSignal(() => rm(temp, {force: true}))
  return {
    handle,
    async commit() {
      await handle.sync()
      await handle.close()
      await rename(temp, out)
      off()
    },
    async abort() {
      await handle.close().catch(() => {})
      await rm(temp, {force: true})
      off()
    },
  }
}
