import {createHash} from 'node:crypto'
import type {FileHandle} from 'node:fs/promises'

const BLOCK = 512
const FLUSH_BYTES = 1 << 20

export interface TarEntry {
  name: string
  /** Where the entry's data starts in the file. */
  offset: number
  size: number
}

export interface WrittenPart {
  bytes: number
  sha256: string
}

/**
 * A streaming ustar writer for a seekable file: each entry's header is written as a placeholder,
 * the data follows as it arrives (hashed on the way), and the header is filled in once the size is
 * known. Memory stays at one write batch whatever the entry's size.
 */
export class TarWriter {
  private position = 0

  constructor(
    private readonly handle: FileHandle,
    private readonly mtime = Math.floor(Date.now() / 1000),
  ) {}

  /** Writes one entry; `release` gets each chunk of `data` back once it is written (a lending COPY reuses it). */
  async entry(
    name: string,
    data: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
    release?: (chunk: Buffer) => void,
  ): Promise<WrittenPart> {
    const start = this.position
    this.position += BLOCK
    const hash = createHash('sha256')
    let bytes = 0
    let batch: Buffer[] = []
    let batched = 0
    // One write in flight while the next batch fills, so the database stream keeps flowing.
    let inFlight: Promise<unknown> = Promise.resolve()
    const flush = async () => {
      await inFlight
      if (batched === 0) return
      const written = batch
      inFlight = this.handle.writev(written, this.position).then(() => {
        if (release) for (const chunk of written) release(chunk)
      })
      // A write that fails (ENOSPC) while the next batch fills is thrown at the next await of it,
      // not as an unhandled rejection that ends the process before the temporary file is removed.
      inFlight.catch(() => {})
      this.position += batched
      batch = []
      batched = 0
    }
    for await (const item of data) {
      const chunk = typeof item === 'string' ? Buffer.from(item) : item
      hash.update(chunk)
      bytes += chunk.length
      batch.push(chunk)
      batched += chunk.length
      if (batched >= FLUSH_BYTES) await flush()
    }
    const pad = (BLOCK - (bytes % BLOCK)) % BLOCK
    if (pad) {
      batch.push(Buffer.alloc(pad))
      batched += pad
    }
    await flush()
    await inFlight
    await this.handle.write(header(name, bytes, this.mtime), 0, BLOCK, start)
    return {bytes, sha256: hash.digest('hex')}
  }

  /** The two zero blocks that end a tar archive. */
  async finish(): Promise<void> {
    await this.handle.write(Buffer.alloc(2 * BLOCK), 0, 2 * BLOCK, this.position)
    this.position += 2 * BLOCK
  }
}

function header(name: string, size: number, mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK)
  h.write(name, 0, 100, 'utf8')
  h.write('0000640\0', 100, 'ascii')
  h.write('0000000\0', 108, 'ascii')
  h.write('0000000\0', 116, 'ascii')
  writeSize(h, size)
  h.write(mtime.toString(8).padStart(11, '0') + '\0', 136, 'ascii')
  h.write('        ', 148, 'ascii')
  h.write('0', 156, 'ascii')
  h.write('ustar\u000000', 257, 'ascii')
  h.write(sum(h).toString(8).padStart(6, '0') + '\0 ', 148, 'ascii')
  return h
}

/** Octal up to 8 GiB; beyond, the GNU base-256 form (high bit set) that tar readers accept. */
function writeSize(h: Buffer, size: number): void {
  if (size < 8 ** 11) {
    h.write(size.toString(8).padStart(11, '0') + '\0', 124, 'ascii')
    return
  }
  let rest = BigInt(size)
  for (let i = 135; i > 124; i--, rest >>= 8n) h[i] = Number(rest & 0xffn)
  h[124] = 0x80
}

function readSize(h: Buffer): number {
  if (h[124] & 0x80) {
    let n = 0n
    for (let i = 125; i < 136; i++) n = (n << 8n) | BigInt(h[i])
    return Number(n)
  }
  return Number.parseInt(h.toString('ascii', 124, 136).replace(/\0.*$/, '').trim() || '0', 8)
}

function sum(h: Buffer): number {
  let s = 0
  for (let i = 0; i < BLOCK; i++) s += i >= 148 && i < 156 ? 32 : h[i]
  return s
}

/**
 * The entries of a tar file, from its headers alone (seeking over the data). Throws a plain Error
 * naming the problem for a bad header checksum, an entry that runs past the end of the file, or
 * a missing end-of-archive marker: the caller turns it into the user-facing error.
 */
export async function readTarIndex(handle: FileHandle): Promise<TarEntry[]> {
  const {size: fileSize} = await handle.stat()
  const entries: TarEntry[] = []
  const h = Buffer.alloc(BLOCK)
  for (let position = 0; ;) {
    const {bytesRead} = await handle.read(h, 0, BLOCK, position)
    if (bytesRead < BLOCK) throw new Error(`truncated at byte ${position} (no end-of-archive marker)`)
    if (h.every((b) => b === 0)) return entries
    const stored = Number.parseInt(h.toString('ascii', 148, 156).replace(/\0.*$/, '').trim(), 8)
    if (stored !== sum(h) || h.toString('ascii', 257, 262) !== 'ustar')
      throw new Error(`damaged header at byte ${position}`)
    const name = h.toString('utf8', 0, 100).replace(/\0.*$/s, '')
    const size = readSize(h)
    if (position + BLOCK + size > fileSize) throw new Error(`truncated in ${name}`)
    entries.push({name, offset: position + BLOCK, size})
    position += BLOCK + Math.ceil(size / BLOCK) * BLOCK
  }
}
