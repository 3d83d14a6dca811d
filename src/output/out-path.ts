import {promises as fs} from 'node:fs'
import {dirname, resolve} from 'node:path'
import {notFound, usageError} from '../errors.js'
import {fileError} from '../util/files.js'
import {checkNotBlank} from '../util/text.js'

/**
 * Where `--out` writes: stdout (`-` or none), a regular file (new or replaced by a renamed temp
 * file beside the symlink's target), or a fifo / device written through, never replaced.
 */
export type OutTarget = {kind: 'stdout'} | {kind: 'file' | 'special'; path: string}

/** Checks `--out` before anything runs: a missing or unwritable directory is exit 4, a directory exit 2. */
export async function resolveOut(out: string | undefined): Promise<OutTarget> {
  if (out === undefined || out === '-') return {kind: 'stdout'}
  checkNotBlank(out, '--out', 'give a file name, or - for standard output')
  const path = await followLinks(out, 0)
  const stat = await fs.stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw fileError(error, out)
  })
  if (stat?.isDirectory()) throw usageError(`--out ${out} is a directory`, 'give a file name, e.g. --out report.csv')
  if (stat?.isSocket()) throw usageError(`--out ${out} is a socket`, 'give a file, a fifo or a device')
  if (stat && !stat.isFile()) return {kind: 'special', path}
  const dir = dirname(path)
  const dirStat = await fs.stat(dir).catch(() => undefined)
  if (!dirStat?.isDirectory())
    throw notFound(`directory ${dir} does not exist`, 'create it first or choose another --out path')
  await fs.access(dir, fs.constants.W_OK).catch((error) => {
    throw fileError(error, dir)
  })
  return {kind: 'file', path}
}

/** The path a chain of symlinks ends at (which need not exist yet). */
async function followLinks(path: string, depth: number): Promise<string> {
  const stat = await fs.lstat(path).catch(() => undefined)
  if (!stat?.isSymbolicLink()) return path
  if (depth >= 40) throw usageError(`--out ${path}: too many levels of symbolic links`)
  return followLinks(resolve(dirname(path), await fs.readlink(path)), depth + 1)
}
