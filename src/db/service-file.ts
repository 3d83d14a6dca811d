import {existsSync, readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'
import {usageError} from '../errors.js'
import {KEYWORDS, type ConnInfo} from './conninfo.js'

/**
 * A `[service]` section from PGSERVICEFILE (else ~/.pg_service.conf), then PGSYSCONFDIR/pg_service.conf,
 * read as libpq reads it: whole lines, `#` starts a comment only at the start of a line, and a value
 * is everything after the first `=` (so `#`, `;` and spaces inside a password are kept).
 */
export function readService(name: string, env: NodeJS.ProcessEnv): ConnInfo {
  const files = [
    env.PGSERVICEFILE ?? join(homedir(), '.pg_service.conf'),
    env.PGSYSCONFDIR && join(env.PGSYSCONFDIR, 'pg_service.conf'),
  ]
  for (const file of files) {
    if (!file || !existsSync(file)) continue
    const section = readSection(file, name)
    if (section) return section
  }
  throw usageError(
    `service "${name}" not found`,
    'define it in ~/.pg_service.conf or point PGSERVICEFILE at the file that has it',
  )
}

function readSection(file: string, name: string): ConnInfo | undefined {
  let found: ConnInfo | undefined
  let inSection = false
  for (const [index, raw] of readFileSync(file, 'utf8').split('\n').entries()) {
    const line = raw.trim()
    if (!line || line.startsWith('#')) continue
    if (line.startsWith('[')) {
      if (found) break
      inSection = line.slice(1, line.indexOf(']')) === name
      if (inSection) found = {}
      continue
    }
    if (!inSection) continue
    const eq = line.indexOf('=')
    const key = line.slice(0, eq)
    if (eq < 0 || key === 'service' || !KEYWORDS.has(key))
      throw usageError(
        `syntax error in service file ${file}, line ${index + 1}`,
        'each line is keyword=value, without spaces around =',
      )
    found![key] ??= line.slice(eq + 1)
  }
  return found
}
