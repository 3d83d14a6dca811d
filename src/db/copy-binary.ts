import {FluxError} from '../errors.js'

/** PGCOPY\n\377\r\n\0, then 32-bit flags and the header extension's length. */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1')
const FILE_HEADER = SIGNATURE.length + 8

type Step = 'file' | 'count' | 'length' | 'value' | 'end'

/**
 * The values of a one-column `COPY ... TO STDOUT (FORMAT binary)`, unchanged, each followed by
 * `end`. Binary COPY writes a text value as its bytes, where the text and CSV forms scan every
 * byte to escape it (measured: 15% of a 1M-row JSON export's server time). Chunks may cut a value
 * or a header anywhere.
 */
export async function* binaryCopyValues(chunks: AsyncIterable<Buffer>, end: Buffer): AsyncGenerator<Buffer> {
  let step: Step = 'file'
  let partial = Buffer.alloc(0) // a header cut by the end of a chunk
  let left = 0 // bytes of the current value still to come
  for await (const chunk of chunks) {
    const out: Buffer[] = []
    let i = 0
    while (i < chunk.length && step !== 'end') {
      if (step === 'value') {
        const n = Math.min(left, chunk.length - i)
        out.push(chunk.subarray(i, i + n))
        i += n
        left -= n
        if (left === 0) {
          out.push(end)
          step = 'count'
        }
        continue
      }
      const size = step === 'file' ? FILE_HEADER : step === 'count' ? 2 : 4
      let field = chunk
      let at = i
      if (partial.length > 0 || chunk.length - i < size) {
        const n = Math.min(size - partial.length, chunk.length - i)
        partial = Buffer.concat([partial, chunk.subarray(i, i + n)])
        i += n
        if (partial.length < size) break
        field = partial
        at = 0
        partial = Buffer.alloc(0)
      } else {
        i += size
      }
      if (step !== 'length') {
        step = next(step, field, at)
        continue
      }
      left = field.readInt32BE(at)
      if (left < 0) throw malformed('a NULL value')
      step = left > 0 ? 'value' : 'count'
      if (left === 0) out.push(end)
    }
    if (out.length > 0) yield out.length === 1 ? out[0] : Buffer.concat(out)
  }
  if (step !== 'end') throw malformed('it ended before its trailer')
}

/** The step after the file header or a tuple's field count. */
function next(step: 'file' | 'count', field: Buffer, at: number): Step {
  if (step === 'file') {
    if (!field.subarray(at, at + SIGNATURE.length).equals(SIGNATURE)) throw malformed('no PGCOPY signature')
    if (field.readUInt32BE(at + SIGNATURE.length + 4) !== 0) throw malformed('a header extension')
    return 'count'
  }
  const fields = field.readInt16BE(at)
  if (fields === -1) return 'end'
  if (fields !== 1) throw malformed(`${fields} columns, not 1`)
  return 'length'
}

function malformed(what: string): FluxError {
  return new FluxError(`the server's binary COPY output is malformed: ${what}`, {kind: 'database', hint: 'report this with the server version; --format csv still works'})
}
