import {createWriteStream, promises as fs} from 'node:fs'
import {basename, dirname, join} from 'node:path'
import {Writable} from 'node:stream'
import {finished} from 'node:stream/promises'
import {FluxError} from '../errors.js'

/** Where rendered output goes: stdout, or a file that only appears, complete, on success. */
export interface Sink {
  stream: Writable
  commit(): Promise<void>
  abort(): Promise<void>
}

export async function openSink(out: string | undefined, gzip: boolean): Promise<Sink> {
  if (!out) return wrap(process.stdout, gzip, async () => {}, async () => {})
  const dir = dirname(out)
  try {
    await fs.access(dir)
  } catch {
    throw new FluxError(`directory ${dir} does not exist`, {kind: 'not_found', hint: 'create it first or choose another --out path'})
  }
  const temp = join(dir, `.${basename(out)}.${process.pid}.${Date.now()}.tmp`)
  const file = createWriteStream(temp, {mode: 0o640})
  const cleanup = () => fs.rm(temp, {force: true})
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  function onSignal(signal: NodeJS.Signals) {
    void cleanup().finally(() => process.kill(process.pid, signal))
  }
  const off = () => {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
  return wrap(file, gzip, async () => {
    await fs.rename(temp, out)
    off()
  }, async () => {
    file.on('error', () => {})
    file.destroy()
    await cleanup()
    off()
  })
}

async function wrap(target: Writable, gzip: boolean, onCommit: () => Promise<void>, onAbort: () => Promise<void>): Promise<Sink> {
  let stream: Writable = target
  if (gzip) {
    const {createGzip} = await import('node:zlib')
    const gz = createGzip()
    gz.pipe(target)
    stream = gz
  }
  const isStdout = target === process.stdout
  // A closed pipe (`| head`) surfaces as EPIPE from write(), which commands end on quietly.
  if (isStdout && target.listenerCount('error') === 0) target.on('error', () => {})
  return {
    stream,
    async commit() {
      if (gzip || !isStdout) {
        stream.end()
        if (!isStdout) await finished(target)
        else await finished(stream)
      }
      await onCommit()
    },
    abort: onAbort,
  }
}

/** Writes a chunk and waits for drain when the stream asks for it (backpressure). */
export async function write(stream: Writable, chunk: string | Buffer): Promise<void> {
  if (stream.destroyed) throw Object.assign(new Error('output closed'), {code: 'EPIPE'})
  if (!stream.write(chunk)) {
    await new Promise<void>((resolve, reject) => {
      const onDrain = () => { stream.off('error', onError); resolve() }
      const onError = (err: Error) => { stream.off('drain', onDrain); reject(err) }
      stream.once('drain', onDrain)
      stream.once('error', onError)
    })
  }
}
