import {open, rm, type FileHandle} from 'node:fs/promises'
import {usageError} from '../errors.js'
import {resolveOut} from '../output/out-path.js'
import {renameDurably} from '../util/durable.js'
import {tempName} from '../util/files.js'
import {cleanupOnSignal} from '../util/signals.js'

export interface ArchiveFile {
  handle: FileHandle
  /** Close and rename onto the final path (durably): the archive appears complete or not at all. */
  commit(): Promise<void>
  abort(): Promise<void>
}

/**
 * A temporary file beside `out` (beside a symlink's target), removed on failure or on SIGINT/SIGTERM.
 * Only a regular file can take an archive: a fifo, a device or stdout would be replaced by the
 * rename, or cannot take headers written after their data.
 */
export async function createArchiveFile(out: string): Promise<ArchiveFile> {
  const target = await resolveOut(out)
  if (target.kind !== 'file') throw usageError(`--out ${out} is not a regular file`, 'an archive is a seekable file (each header is filled in after its data): give a file name')
  const path = target.path
  const temp = tempName(path)
  const handle = await open(temp, 'wx', 0o600)
  const off = cleanupOnSignal(() => rm(temp, {force: true}))
  return {
    handle,
    async commit() {
      await handle.close()
      await renameDurably(temp, path)
      off()
    },
    async abort() {
      await handle.close().catch(() => {})
      await rm(temp, {force: true})
      off()
    },
  }
}
