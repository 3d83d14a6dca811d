import {usageError} from '../errors.js'

const BCRYPT_COST = 12

/** Reads a password from stdin (first line, without its line end); never from an argument. */
export async function readPasswordFromStdin(stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer))
  const password = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0]
  if (password.length < 8) throw usageError('the password from stdin is shorter than 8 characters', 'e.g. printf %s "$PW" | fluxadmin users create ... --password-stdin')
  return password
}

/** bcrypt hash (cost 12); bcryptjs is loaded only here. */
export async function hashPassword(password: string): Promise<string> {
  const {default: bcrypt} = await import('bcryptjs')
  return bcrypt.hash(password, BCRYPT_COST)
}
