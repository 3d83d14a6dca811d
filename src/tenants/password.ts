import {usageError} from '../errors.js'

const BCRYPT_COST = 12

/** bcrypt reads only the first 72 bytes: a longer password would match whatever followed them. */
export const MAX_PASSWORD_BYTES = 72
const HINT = 'e.g. printf %s "$PW" | fluxadmin users create ... --password-stdin'

/**
 * Reads a password from stdin (first line, without its line end); never from an argument. Refused
 * (exit 2): under 8 characters, over 72 bytes, or not valid UTF-8 (it would be hashed with U+FFFD
 * in place of its bytes, and never match what the person types). Stops reading past the limit.
 */
export async function readPasswordFromStdin(stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stdin) {
    const piece = Buffer.from(chunk as Buffer)
    chunks.push(piece)
    size += piece.length
    if (piece.includes(0x0a) || size > MAX_PASSWORD_BYTES + 2) break
  }
  const all = Buffer.concat(chunks)
  const end = all.indexOf(0x0a)
  const line = all.subarray(0, end === -1 ? all.length : end > 0 && all[end - 1] === 0x0d ? end - 1 : end)
  if (line.length > MAX_PASSWORD_BYTES)
    throw usageError(
      `the password from stdin is over ${MAX_PASSWORD_BYTES} bytes, bcrypt's limit (it would ignore the rest)`,
      `give at most ${MAX_PASSWORD_BYTES} bytes; ${HINT}`,
    )
  let password: string
  try {
    password = new TextDecoder('utf-8', {fatal: true}).decode(line)
  } catch {
    throw usageError('the password from stdin is not valid UTF-8', `give it in UTF-8; ${HINT}`)
  }
  if ([...password].length < 8) throw usageError('the password from stdin is shorter than 8 characters', HINT)
  return password
}

/** bcrypt hash (cost 12); bcryptjs is loaded only here. */
export async function hashPassword(password: string): Promise<string> {
  const {default: bcrypt} = await import('bcryptjs')
  return bcrypt.hash(password, BCRYPT_COST)
}
