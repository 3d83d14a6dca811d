/**
 * CSV formula injection (OWASP): a spreadsheet runs a cell that starts with = + - @ tab or CR as a
 * formula. Such text cells get a leading single quote, which spreadsheets show as text; `--csv-raw`
 * keeps the bytes as psql writes them.
 */
const FORMULA_START = /^[=+\-@\t\r]/

export function protectCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text
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
        if (TRIGGER[b] && textColumns[column]) (inserts ??= []).push(i)
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
