import {open} from 'node:fs/promises'
import {Transform, type TransformCallback} from 'node:stream'
import {notFound, usageError} from '../errors.js'

export const ONBOARD_COLUMNS_HINT = 'columns: email, name, user_type, role, team (optional)'
const REQUIRED = ['email', 'name', 'user_type', 'role'] as const
const ALLOWED = new Set<string>([...REQUIRED, 'team'])
const NL = 0x0a
const CR = 0x0d

/** Where each known column sits in the file (1-based), from its header row. */
export interface OnboardHeader {
  names: string[]
  position: Record<'email' | 'name' | 'user_type' | 'role' | 'team', number | null>
}

/**
 * Reads and checks the header row. The data rows are never parsed here: the file goes to
 * PostgreSQL's COPY as it is, which parses CSV much faster than JavaScript can.
 */
export async function readHeader(file: string, label: string): Promise<OnboardHeader> {
  const handle = await open(file, 'r').catch((e: NodeJS.ErrnoException) => {
    throw notFound(`cannot read ${file} (${e.code ?? e.message})`, 'check the path and its permissions')
  })
  const buffer = Buffer.alloc(64 * 1024)
  let bytesRead: number
  try {
    ;({bytesRead} = await handle.read(buffer, 0, buffer.length, 0))
  } finally {
    await handle.close()
  }
  const text = buffer
    .subarray(0, bytesRead)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
  const end = text.search(/\r?\n/)
  if (end < 0 && bytesRead === buffer.length)
    throw usageError(`line 1 of ${label} is longer than 64 kB`, ONBOARD_COLUMNS_HINT)
  const {parse} = await import('csv-parse/sync')
  const line = end < 0 ? text : text.slice(0, end)
  const names = (parse(line, {relax_quotes: true}) as string[][])[0]?.map((h) => h.trim().toLowerCase()) ?? []
  if (names.length === 0) throw usageError(`${label} is empty`, ONBOARD_COLUMNS_HINT)
  const missing = REQUIRED.filter((c) => !names.includes(c))
  const unknown = names.filter((n) => !ALLOWED.has(n))
  const repeated = names.filter((n, i) => names.indexOf(n) !== i)
  if (missing.length || unknown.length || repeated.length) {
    const what = missing.length
      ? `missing column(s) ${missing.join(', ')}`
      : unknown.length
        ? `unknown column(s) ${unknown.join(', ')}`
        : `column(s) ${repeated.join(', ')} given twice`
    throw usageError(`line 1 of ${label}: ${what}`, ONBOARD_COLUMNS_HINT)
  }
  const at = (name: string) => (names.includes(name) ? names.indexOf(name) + 1 : null)
  return {
    names,
    position: {email: at('email'), name: at('name'), user_type: at('user_type'), role: at('role'), team: at('team')},
  }
}

/**
 * Passes the file's bytes through to COPY, counting lines for progress, with two guards:
 * blank lines at the end of the file are dropped (COPY would reject them as rows with missing
 * columns), and a line that is only `\.` is refused (COPY would silently stop reading there).
 */
export class OnboardFileGuard extends Transform {
  /** Newlines seen so far. */
  lines = 0
  bytes = 0
  /** Line ends at the end of what was read, held back until more data follows them. */
  private trailing: Buffer = Buffer.alloc(0)
  /** The last two bytes read, so that a `\.` line split across chunks is still seen. */
  private carry: Buffer = Buffer.alloc(0)
  /** The line number of a `\.` at the very end of the previous chunk, whose next byte decides. */
  private pendingMarker: number | null = null

  constructor(
    private readonly label: string,
    private readonly onLines?: (lines: number, bytes: number) => void,
  ) {
    super()
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const marker = this.endMarker(chunk)
    if (marker !== null) return done(this.markerError(marker))
    const before = this.lines
    for (let i = chunk.indexOf(NL); i >= 0; i = chunk.indexOf(NL, i + 1)) this.lines++
    this.bytes += chunk.length
    if (Math.floor(this.lines / 10_000) > Math.floor(before / 10_000)) this.onLines?.(this.lines, this.bytes)

    let end = chunk.length
    while (end > 0 && (chunk[end - 1] === NL || chunk[end - 1] === CR)) end--
    if (end === 0) {
      this.trailing = Buffer.concat([this.trailing, chunk])
      return done()
    }
    const out = this.trailing.length ? Buffer.concat([this.trailing, chunk.subarray(0, end)]) : chunk.subarray(0, end)
    this.trailing = Buffer.from(chunk.subarray(end))
    done(null, out)
  }

  override _flush(done: TransformCallback): void {
    if (this.pendingMarker !== null) return done(this.markerError(this.pendingMarker))
    if (this.trailing.length)
      this.push(
        this.trailing[0] === CR && this.trailing[1] === NL
          ? this.trailing.subarray(0, 2)
          : this.trailing.subarray(0, 1),
      )
    this.onLines?.(this.lines, this.bytes)
    done()
  }

  private markerError(line: number) {
    return usageError(
      `line ${line} of ${this.label} is only "\\.", which would end COPY's input early`,
      'remove that line or put the value in double quotes',
    )
  }

  /** The 1-based line of a lone `\.` line completed by this chunk, or null (no copy of the chunk is made). */
  private endMarker(chunk: Buffer): number | null {
    if (this.pendingMarker !== null) {
      if (chunk.length === 0) return null
      if (chunk[0] === NL || chunk[0] === CR) return this.pendingMarker
      this.pendingMarker = null
    }
    const newlines = (b: Buffer) => b.reduce((n, byte) => (byte === NL ? n + 1 : n), 0)
    const lone = (next: number | undefined) => next === NL || next === CR
    // A marker that starts in the last bytes of the previous chunk.
    const seam = Buffer.concat([this.carry, chunk.subarray(0, 3)])
    for (let i = seam.indexOf('\n\\.'); i >= 0 && i < this.carry.length; i = seam.indexOf('\n\\.', i + 1)) {
      const line = this.lines - newlines(this.carry.subarray(i + 1)) + 1
      if (i + 3 === seam.length && chunk.length < 3) this.pendingMarker = line
      else if (lone(seam[i + 3])) return line
    }
    for (let i = chunk.indexOf('\n\\.'); i >= 0; i = chunk.indexOf('\n\\.', i + 1)) {
      const line = this.lines + newlines(chunk.subarray(0, i + 1)) + 1
      if (i + 3 === chunk.length) this.pendingMarker = line
      else if (lone(chunk[i + 3])) return line
    }
    this.carry = Buffer.from(
      chunk.length >= 2 ? chunk.subarray(chunk.length - 2) : Buffer.concat([this.carry, chunk]).subarray(-2),
    )
    return null
  }
}

const QUOTE = 0x22

/**
 * For COPY's "unterminated CSV quoted field": the line on which the quote that is never closed
 * opens. COPY names the line where it ran out of input, one past the last (or further, when the
 * field swallowed later lines). Read again only on that error; undefined for any other.
 */
export async function unclosedQuoteLine(file: string, error: unknown): Promise<number | undefined> {
  if (!/unterminated CSV quoted field/.test((error as Error | undefined)?.message ?? '')) return undefined
  const {createReadStream} = await import('node:fs')
  let line = 1
  let quoted = false
  let openedOn = 0
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      // A doubled quote inside a quoted field turns it off and on again: the state comes out right.
      if (chunk[i] === QUOTE) {
        quoted = !quoted
        if (quoted) openedOn = line
      } else if (chunk[i] === NL) {
        line++
      }
    }
  }
  return quoted ? openedOn : undefined
}
