/**
 * CSV formula injection (OWASP): a spreadsheet runs a cell that starts with = + - @ tab or CR as a
 * formula. Such text cells get a leading single quote, which spreadsheets show as text; `--csv-raw`
 * keeps the bytes as psql writes them. A cell that is only a number, as PostgreSQL prints an integer
 * or a numeric (`-6771444866598337082`, `-12.50`), is a number to a spreadsheet, not a formula: it
 * stays as it is (bigint and numeric values reach the row renderer as strings).
 */
const FORMULA_START = /^[=+\-@\t\r]/
const NUMBER = /^-\d+(\.\d+)?$/

export function protectCell(text: string): string {
  return FORMULA_START.test(text) && !NUMBER.test(text) ? `'${text}` : text
}

const QUOTE = 0x22
const COMMA = 0x2c
const NEWLINE = 0x0a
const APOSTROPHE = Buffer.from("'")
const TRIGGER = new Uint8Array(256)
for (const c of '=+-@\t\r') TRIGGER[c.charCodeAt(0)] = 1

/**
 * The same protection on COPY's CSV bytes as they stream (RFC 4180 quoting, `\n` line ends), for
 * the columns marked as text: one pass over each chunk, copied only when a quote must go in.
 */
export async function* protectCsvBytes(raw: AsyncIterable<Buffer | string>, textColumns: boolean[]): AsyncGenerator<Buffer> {
  let column = 0
  let fieldStart = true
  let quoted = false
  // Inside quotes: the previous byte was a quote (closing, or the first of a doubled one).
  let quoteSeen = false
  // Just after a field's opening quote: its first character decides.
  let firstInQuotes = false
  for await (const piece of raw) {
    const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece
    let inserts: number[] | undefined
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]
      if (quoted) {
        if (firstInQuotes) {
          firstInQuotes = false
          if (TRIGGER[b] && textColumns[column]) (inserts ??= []).push(i)
        }
        if (quoteSeen) {
          quoteSeen = false
          if (b === QUOTE) continue
          quoted = false
        } else {
          // Jump to the next quote: long quoted text costs one native search.
          const next = b === QUOTE ? i : chunk.indexOf(QUOTE, i)
          if (next < 0) break
          i = next
          quoteSeen = true
          continue
        }
      }
      if (fieldStart) {
        fieldStart = false
        if (b === QUOTE) {
          quoted = true
          firstInQuotes = true
          continue
        }
        if (TRIGGER[b] && textColumns[column] && !numberAt(chunk, i)) (inserts ??= []).push(i)
      }
      if (b === COMMA) {
        column++
        fieldStart = true
      } else if (b === NEWLINE) {
        column = 0
        fieldStart = true
      }
    }
    if (!inserts) {
      yield chunk
      continue
    }
    const parts: Buffer[] = []
    let from = 0
    for (const at of inserts) {
      parts.push(chunk.subarray(from, at), APOSTROPHE)
      from = at
    }
    parts.push(chunk.subarray(from))
    yield Buffer.concat(parts)
  }
}

const DIGIT = (b: number) => b >= 0x30 && b <= 0x39

/**
 * Whether the unquoted field at `start` is a negative number (NUMBER) ending within this chunk.
 * One that runs past the chunk's end is protected: rare, and on the safe side.
 */
function numberAt(chunk: Buffer, start: number): boolean {
  if (chunk[start] !== 0x2d) return false
  let i = start + 1
  const digits = () => {
    const from = i
    while (i < chunk.length && DIGIT(chunk[i])) i++
    return i > from
  }
  if (!digits()) return false
  if (chunk[i] === 0x2e && (i++, !digits())) return false
  return i < chunk.length && (chunk[i] === COMMA || chunk[i] === NEWLINE)
}
