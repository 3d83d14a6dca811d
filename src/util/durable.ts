import {closeSync, fsyncSync, openSync, promises as fs, renameSync, writeFileSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'

// A rename alone can reach the disk before the data it names: after a crash the final name would
// then hold an empty or partial file. So the data is synced first, and the directory after.

async function syncPath(path: string): Promise<void> {
  const handle = await fs.open(path, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

function syncPathSync(path: string): void {
  const fd = openSync(path, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Renames a finished temporary file or directory onto its name: after a crash the name holds the old content or all of the new. */
export async function renameDurably(temp: string, final: string): Promise<void> {
  await syncPath(temp)
  await fs.rename(temp, final)
  await syncPath(dirname(final))
}

/** Writes a small file through `.NAME.PID.tmp`, as renameDurably: readers, and a crash, never leave half of it. */
export function writeFileDurably(path: string, content: string, mode: number): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
  writeFileSync(temp, content, {mode})
  syncPathSync(temp)
  renameSync(temp, path)
  syncPathSync(dirname(path))
}
