import {promises as fs} from 'node:fs'
import {basename, dirname, join, resolve} from 'node:path'
import {FluxError, isFluxError, notFound, usageError} from '../errors.js'
import {renameDurably} from './durable.js'
import {processAlive} from './pid.js'
import {cleanupOnSignal} from './signals.js'
import {checkNotBlank} from './text.js'

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  ENXIO: 'no reader on the other end',
}

/** Paths that no file system takes: a bad value (exit 2), not a file that cannot be written. */
const BAD_PATHS: Record<string, [reason: string, hint: string]> = {
  ENAMETOOLONG: ['the file name is too long', 'give a shorter path'],
  ELOOP: ['too many levels of symbolic links', 'check the symbolic links along the path'],
}

/** A file-system error as one line with exit 4 (2 for a directory where a file belongs, or a path no file system takes); anything else passes through. */
export function fileError(error: unknown, path: string): unknown {
  if (isFluxError(error)) return error
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? ''
  if (code === 'EISDIR') return usageError(`${path} is a directory`, 'give a file name')
  if (BAD_PATHS[code]) return usageError(`${BAD_PATHS[code][0]}: ${path}`, BAD_PATHS[code][1])
  if (!REASONS[code]) return error
  return new FluxError(`cannot write ${path}: ${REASONS[code]}`, {
    kind: 'not_found',
    sqlstate: code,
    hint: 'check the path, its permissions and the free space',
  })
}

/**
 * A directory to write into (`--dir`): one that exists and is writable, or a new last level, 0700,
 * in a parent that exists. A missing parent is exit 4, as for `--out`: a mistyped path must not
 * become a tree of new directories.
 */
export async function ensureDirectory(dir: string): Promise<void> {
  checkNotBlank(dir, '--dir', 'pass a directory path, e.g. --dir /var/backups/fluxstudio')
  const stat = await fs.stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw fileError(error, dir)
  })
  if (stat) {
    if (!stat.isDirectory()) throw usageError(`${dir} is not a directory`, 'pass a directory')
    await fs.access(dir, fs.constants.W_OK).catch((error) => {
      throw fileError(error, dir)
    })
    return
  }
  const parent = dirname(resolve(dir))
  if (!(await fs.stat(parent).catch(() => undefined))?.isDirectory())
    throw notFound(
      `directory ${parent} does not exist`,
      `create it first, or choose another --dir: only ${basename(resolve(dir))} itself is created`,
    )
  await fs.mkdir(dir, {mode: 0o700}).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw fileError(error, dir)
  })
}

/** `.NAME.PID.STAMP.tmp`: the temporary file an atomic write renames onto NAME. */
export const tempName = (path: string) => join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`)
/** `.NAME.PID.STAMP.tmp` (with a millisecond stamp) or `.NAME.PID.tmp` (manifests): the writer's pid. */
const tempPid = (name: string) =>
  Number((/^\..+\.(\d+)\.\d{13}\.tmp$/.exec(name) ?? /^\..+\.(\d+)\.tmp$/.exec(name))?.[1])

/** Removes temporary files that a killed run left in a directory (those whose process is gone); `only`: of these names. */
export async function removeStaleTemps(dir: string, only?: RegExp): Promise<void> {
  const names = await fs.readdir(dir).catch(() => [] as string[])
  await Promise.all(
    names.map(async (name) => {
      if (only && !only.test(name)) return
      const pid = tempPid(name)
      if (!pid || pid >= 2 ** 31 || pid === process.pid || processAlive(pid)) return
      const path = join(dir, name)
      if ((await fs.lstat(path).catch(() => null))?.isFile()) await fs.rm(path, {force: true})
    }),
  )
}

const OWN_TEMP = /\.\d+\.\d{13}\.tmp$|\.json\.\d+\.tmp$/

/** A file written under a temporary name beside its final one, which it takes only once complete. */
export interface TempFile {
  handle: fs.FileHandle
  /** Closes it (if its stream has not) and renames it onto its name, durably. */
  commit(): Promise<void>
  /** Closes and removes it: nothing of it stays, whatever failed (ENOSPC mid-write among them). */
  abort(): Promise<void>
}

/**
 * Opens `.NAME.PID.STAMP.tmp` beside `path` with `mode`, after removing the temporary files of
 * killed runs there (kill -9 leaves its own behind: personal data, disk space); it is removed on
 * SIGINT/SIGTERM too. Errors opening it are one line with exit 4 naming `label`.
 */
export async function createTempFile(path: string, mode: number, label = path): Promise<TempFile> {
  // Only fluxadmin's forms (tempName's, and a manifest's): a shared directory (/tmp) holds other programs' `.x.PID.tmp`.
  await removeStaleTemps(dirname(path), OWN_TEMP)
  const temp = tempName(path)
  const handle = await fs.open(temp, 'wx', mode).catch((error) => {
    throw fileError(error, label)
  })
  const remove = () => fs.rm(temp, {force: true})
  const off = cleanupOnSignal(remove)
  return {
    handle,
    async commit() {
      await handle.close()
      await renameDurably(temp, path)
      off()
    },
    async abort() {
      await handle.close().catch(() => {})
      await remove()
      off()
    },
  }
}
