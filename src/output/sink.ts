import {promises as fs} from 'node:fs'
import {pipeline, type Writable} from 'node:stream'
import {finished} from 'node:stream/promises'
import {flushBehind} from '../util/durable.js'
import {createTempFile, fileError} from '../util/files.js'
import {resolveOut} from './out-path.js'

/** Where rendered output goes: stdout, or a file that only appears, complete, on success. */
export interface Sink {
  stream: Writable
  commit(): Promise<void>
  abort(): Promise<void>
}

const WRITE_BUFFER = 1 << 20

export async function openSink(out: string | undefined, gzip: boolean): Promise<Sink> {
  const target = await resolveOut(out)
  if (target.kind === 'stdout')
    return wrap(
      process.stdout,
      'stdout',
      gzip,
      async () => {},
      async () => {},
    )
  if (target.kind === 'special') {
    // A fifo or a device is written through: renaming a file over it would replace it.
    const device = (
      await fs.open(target.path, 'w').catch((error) => {
        throw fileError(error, target.path)
      })
    ).createWriteStream({highWaterMark: WRITE_BUFFER})
    return wrap(
      device,
      target.path,
      gzip,
      async () => {},
      async () => {
        device.destroy()
      },
    )
  }
  const temp = await createTempFile(target.path, 0o640, out)
  await keepOwnership(temp.handle, target.path).catch(async (error) => {
    await temp.abort()
    throw fileError(error, out!)
  })
  // 1 MB: COPY's chunks queue while one write is under way, and go out together in one writev.
  const file = temp.handle.createWriteStream({highWaterMark: WRITE_BUFFER})
  const stopFlushing = flushBehind(temp.handle, () => file.bytesWritten)
  return wrap(
    file,
    out!,
    gzip,
    async () => {
      await stopFlushing()
      await temp.commit()
    },
    async () => {
      await stopFlushing()
      file.destroy()
      await temp.abort()
    },
  )
}

/**
 * A file being replaced keeps its permissions and, where we may set them, its owner and group, as
 * `> file` would: a report that a web server's group reads must not turn 0640 and root's.
 */
async function keepOwnership(handle: fs.FileHandle, path: string): Promise<void> {
  const existing = await fs.stat(path).catch(() => undefined)
  if (!existing) return
  await handle.chmod(existing.mode & 0o777)
  await handle.chown(existing.uid, existing.gid).catch(() => {})
}

async function wrap(
  target: Writable,
  label: string,
  gzip: boolean,
  onCommit: () => Promise<void>,
  onAbort: () => Promise<void>,
): Promise<Sink> {
  let stream: Writable = target
  if (gzip) {
    const {createGzip} = await import('node:zlib')
    const gz = createGzip()
    // pipeline, not pipe: a failing target (ENOSPC, a closed pipe) must fail the writes into gzip too.
    pipeline(gz, target, () => {})
    stream = gz
  }
  const isStdout = target === process.stdout
  // Write errors (a closed pipe, ENOSPC) surface from write() and commit(), never as an unhandled 'error' event.
  if (target.listenerCount('error') === 0) target.on('error', () => {})
  return {
    stream,
    async commit() {
      try {
        if (gzip || !isStdout) {
          stream.end()
          if (!isStdout) await finished(target)
          else await finished(stream)
        }
      } catch (error) {
        await onAbort()
        throw fileError(error, label)
      }
      await onCommit()
    },
    abort: onAbort,
  }
}

/** Writes a chunk and waits for drain when the stream asks for it (backpressure); `written` runs once the chunk is out. */
export async function write(stream: Writable, chunk: string | Buffer, written?: () => void): Promise<void> {
  if (stream.destroyed) throw stream.errored ?? Object.assign(new Error('output closed'), {code: 'EPIPE'})
  if (!stream.write(chunk, written)) {
    await new Promise<void>((resolve, reject) => {
      const onDrain = () => {
        stream.off('error', onError)
        resolve()
      }
      const onError = (err: Error) => {
        stream.off('drain', onDrain)
        reject(err)
      }
      stream.once('drain', onDrain)
      stream.once('error', onError)
    })
  }
}
