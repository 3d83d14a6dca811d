import {FluxError} from '../errors.js'

/**
 * What a COPY ... TO STDOUT gives: its bytes as sent (text and CSV), or, for a one-column
 * `FORMAT binary` COPY, its values with `between` between them and `last` after the last one
 * (NDJSON: `\n` and `\n`; a JSON array's elements: `,\n` and nothing). Both go where the headers
 * before a value, or the trailer, leave room: bytes after a value would have none when the value
 * ends at the start of a chunk, and would go out on their own. Binary COPY sends a text value as its
 * bytes, where the text and CSV forms scan every byte to escape it (15% of a 1M-row JSON export's
 * server time).
 */
export type CopyOutForm = {binary: false} | {binary: true; between: Buffer; last: Buffer}

const COPY_DATA = 0x64
const COPY_DONE = 0x63
/** Messages the server may send before or amid the data: CopyOutResponse, NoticeResponse, ParameterStatus, NotificationResponse. */
const PASSED_OVER = new Set([0x48, 0x4e, 0x53, 0x41])
/** PGCOPY\n\377\r\n\0, then 32-bit flags and the header extension's length. */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1')
const FILE_HEADER = SIGNATURE.length + 8
/** A one-value tuple's message header: type, length, field count, value length. */
const TUPLE_HEADER = 11

/** A fixed-size field that a chunk's end may cut: where its bytes are once all of them came. */
class Field {
  private readonly carry = Buffer.alloc(FILE_HEADER)
  private have = 0
  src: Buffer = this.carry
  at = 0
  /** Takes the field's bytes from chunk[i, stop); the position after them, or -1 when the chunk ended first. */
  take(chunk: Buffer, i: number, stop: number, size: number): number {
    if (this.have === 0 && stop - i >= size) {
      this.src = chunk
      this.at = i
      return i + size
    }
    const n = Math.min(size - this.have, stop - i)
    chunk.copy(this.carry, this.have, i, i + n)
    this.have += n
    if (this.have < size) return -1
    this.src = this.carry
    this.at = 0
    this.have = 0
    return i + n
  }
}

type Tuple = 'file' | 'count' | 'length' | 'value' | 'end'

/**
 * Reads the protocol bytes of one COPY TO STDOUT, chunk by chunk, and keeps only the data: the
 * message framing (and for binary, each tuple's field count and length) is dropped by moving the
 * data down inside the chunk itself, with no object per row. Chunks may cut anything anywhere.
 * `feed` returns the data of a chunk, and, once the COPY ended, the bytes after its CopyDone (or
 * from an ErrorResponse or any other message on), which belong to the client's own parser.
 */
export class CopyOutParser {
  private readonly frame = new Field()
  private readonly header = new Field()
  private code = -1 // the current message's type; -1 between messages
  private left = 0 // bytes of the current message still to come; -1 until its length is read
  private tuple: Tuple = 'file'
  private valueLeft = 0
  private out: Buffer[] = []
  private base = 0 // start of the data not yet handed out, in the current chunk
  private w = 0 // where the next data byte goes, in the current chunk
  private values = 0
  done = false

  constructor(private readonly form: CopyOutForm) {
    // What goes around a value is written into the room its header leaves.
    if (form.binary && form.between.length > TUPLE_HEADER)
      throw new Error('a binary COPY form may put at most 11 bytes between values')
  }

  feed(chunk: Buffer): {data: Buffer[]; rest?: Buffer} {
    this.out = []
    this.base = 0
    this.w = 0
    let i = 0
    while (i < chunk.length) {
      if (this.code === -1) i = this.wholeRows(chunk, i)
      if (i === chunk.length) break
      if (this.code === -1) {
        const code = chunk[i]
        if (code !== COPY_DATA && code !== COPY_DONE && !PASSED_OVER.has(code)) return this.end(chunk, i, false)
        this.code = code
        this.left = -1 // its length comes next, maybe in the next chunk
        i++
      }
      if (this.left === -1) {
        const next = this.frame.take(chunk, i, chunk.length, 4)
        if (next === -1) break
        this.left = this.frame.src.readInt32BE(this.frame.at) - 4
        i = next
      }
      const stop = Math.min(chunk.length, i + this.left)
      if (this.code === COPY_DATA) {
        if (this.form.binary) this.tupleData(chunk, i, stop)
        else this.keep(chunk, i, stop)
      }
      this.left -= stop - i
      i = stop
      if (this.left > 0) continue
      if (this.code === COPY_DONE) return this.end(chunk, i, true)
      this.code = -1
    }
    return {data: this.handOut(chunk)}
  }

  /**
   * The common case, inlined: CopyData messages that lie whole in the chunk, each one row (for
   * binary, one tuple of one value), kept without the general path's state machine (a 100k-row
   * JSON export's first, unoptimized parse: 35 ms, now 15). Returns where the first message it
   * left to that path starts.
   */
  private wholeRows(chunk: Buffer, i: number): number {
    const form = this.form
    if (form.binary && this.tuple !== 'count') return i
    const n = chunk.length
    while (i + 5 <= n && chunk[i] === COPY_DATA) {
      const length = ((chunk[i + 1] << 24) | (chunk[i + 2] << 16) | (chunk[i + 3] << 8) | chunk[i + 4]) - 4
      const next = i + 5 + length
      if (length < 0 || next > n) return i
      if (!form.binary) {
        this.keep(chunk, i + 5, next)
      } else {
        if (length < 6 || chunk[i + 5] !== 0 || chunk[i + 6] !== 1) return i
        const value = (chunk[i + 7] << 24) | (chunk[i + 8] << 16) | (chunk[i + 9] << 8) | chunk[i + 10]
        if (value !== length - 6) return i
        if (this.values++ > 0) this.put(chunk, form.between)
        this.keep(chunk, i + TUPLE_HEADER, next)
      }
      i = next
    }
    return i
  }

  private end(chunk: Buffer, i: number, copyDone: boolean): {data: Buffer[]; rest: Buffer} {
    this.done = true
    if (copyDone && this.form.binary && this.tuple !== 'end') throw malformed('it ended before its trailer')
    return {data: this.handOut(chunk), rest: chunk.subarray(i)}
  }

  /** The bytes chunk[i, stop) of a binary COPY: headers read, values kept, with what goes around them. */
  private tupleData(chunk: Buffer, i: number, stop: number): void {
    while (i < stop && this.tuple !== 'end') {
      if (this.tuple === 'value') {
        const n = Math.min(this.valueLeft, stop - i)
        this.keep(chunk, i, i + n)
        i += n
        this.valueLeft -= n
        if (this.valueLeft === 0) this.tuple = 'count'
        continue
      }
      const size = this.tuple === 'file' ? FILE_HEADER : this.tuple === 'count' ? 2 : 4
      const next = this.header.take(chunk, i, stop, size)
      if (next === -1) return
      i = next
      this.tuple = this.after(this.header.src, this.header.at)
      const form = this.form as {between: Buffer; last: Buffer}
      if (this.tuple === 'end' && this.values > 0) this.insert(chunk, i, form.last)
      if (this.tuple !== 'value') continue
      if (this.values++ > 0) this.insert(chunk, i, form.between)
      if (this.valueLeft === 0) this.tuple = 'count'
    }
  }

  private after(field: Buffer, at: number): Tuple {
    if (this.tuple === 'file') {
      if (!field.subarray(at, at + SIGNATURE.length).equals(SIGNATURE)) throw malformed('no PGCOPY signature')
      if (field.readUInt32BE(at + SIGNATURE.length + 4) !== 0) throw malformed('a header extension')
      return 'count'
    }
    if (this.tuple === 'count') {
      const fields = field.readInt16BE(at)
      if (fields === -1) return 'end'
      if (fields !== 1) throw malformed(`${fields} columns, not 1`)
      return 'length'
    }
    this.valueLeft = field.readInt32BE(at)
    if (this.valueLeft < 0) throw malformed('a NULL value')
    return 'value'
  }

  /** Bytes to add before chunk[i]: in the room headers left, else out on their own. */
  private insert(chunk: Buffer, i: number, bytes: Buffer): void {
    if (i - this.w >= bytes.length) return this.put(chunk, bytes)
    // The headers came in an earlier chunk: no room before the bytes still to read.
    if (this.w > this.base) this.out.push(chunk.subarray(this.base, this.w))
    this.out.push(bytes)
    this.base = i
    this.w = i
  }

  private put(chunk: Buffer, bytes: Buffer): void {
    for (let k = 0; k < bytes.length; k++) chunk[this.w++] = bytes[k]
  }

  /** Moves data bytes chunk[from, to) down to the write position. */
  private keep(chunk: Buffer, from: number, to: number): void {
    if (from !== this.w) chunk.copyWithin(this.w, from, to)
    this.w += to - from
  }

  private handOut(chunk: Buffer): Buffer[] {
    if (this.w > this.base) this.out.push(chunk.subarray(this.base, this.w))
    return this.out
  }
}

function malformed(what: string): FluxError {
  return new FluxError(`the server's binary COPY output is malformed: ${what}`, {
    kind: 'database',
    hint: 'report this with the server version; --format csv still works',
  })
}
