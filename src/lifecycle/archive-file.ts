import type {FileHandle} from 'node:fs/promises'
import {usageError} from '../errors.js'
import {resolveOut} from '../output/out-path.js'
import {createTempFile, fileError} from '../util/files.js'

export interface ArchiveFile {
  handle: FileHandle
  /** Close and rename onto the final path (durably): the archive appears complete or not at all. */
  commit(): Promise<void>
  /** Removes the temporary file; returns `error` as the user sees it (ENOSPC mid-archive: one line, exit 4). */
  fail(error: unknown): Promise<unknown>
}

/**
 * A temporary file (0600: personal data) beside `out` (beside a symlink's target), removed on failure
 * or on SIGINT/SIGTERM, and on the next run after kill -9. Only a regular file can take an archive: a
 * fifo, a device or stdout would be replaced by the rename, or cannot take headers written after their data.
 */
export async function createArchiveFile(out: string): Promise<ArchiveFile> {
  const target = await resolveOut(out)
  if (target.kind !== 'file')
    throw usageError(
      `--out ${out} is not a regular file`,
      'an archive is a seekable file (each header is filled in after its data): give a file name',
    )
  const file = await createTempFile(target.path, 0o600, out)
  return {
    handle: file.handle,
    commit: file.commit,
    async fail(error) {
      await file.abort()
      return fileError(error, out)
    },
  }
}
