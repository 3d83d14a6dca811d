import {isUtf8} from 'node:buffer'

/**
 * Text from a SQL_ASCII database, which holds whatever bytes were written. With client_encoding
 * UTF8 the server checks every value it sends, and one organization name with a byte that is not
 * UTF-8 fails the whole query (22021) in every command that reads it. Such a session asks for the
 * bytes as they are (client_encoding SQL_ASCII) and they are decoded here: UTF-8 as text, any other
 * byte as `\xNN`. The values so escaped are kept (the first few) for a note that names them.
 */
const escaped = new Set<string>()
let more = false
const KEPT = 3

export function decodeRaw(bytes: Buffer): string {
  if (isUtf8(bytes)) return bytes.toString('utf8')
  let text = ''
  for (let i = 0; i < bytes.length;) {
    const length = sequenceLength(bytes[i])
    const sequence = bytes.subarray(i, i + length)
    if (length > 0 && sequence.length === length && isUtf8(sequence)) {
      text += sequence.toString('utf8')
      i += length
    } else {
      text += `\\x${bytes[i].toString(16).padStart(2, '0')}`
      i++
    }
  }
  if (escaped.size < KEPT) escaped.add(text)
  else more ||= !escaped.has(text)
  return text
}

/** The length of the UTF-8 sequence a lead byte starts, 0 for a byte that cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1
  if (lead >= 0xc2 && lead <= 0xdf) return 2
  if (lead >= 0xe0 && lead <= 0xef) return 3
  if (lead >= 0xf0 && lead <= 0xf4) return 4
  return 0
}

/** The values escaped so far (the first few, which name their rows), and whether there were others. */
export function escapedValues(): {values: string[]; more: boolean} {
  return {values: [...escaped], more}
}
