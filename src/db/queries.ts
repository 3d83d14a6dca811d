import {readFileSync, readdirSync} from 'node:fs'
import {basename, dirname, join, relative} from 'node:path'
import {sqlDir} from '../paths.js'

/** One statement from sql/queries, with the header comment that documents it. */
export interface SqlQuery {
  name: string
  description: string
  params: string[]
  returns?: string
  requires?: string
  text: string
}

/** Leads every statement fluxadmin sends, so that pg_stat_statements tells its own statements apart. */
export const SQL_TAG = '/* fluxadmin */'

const cache = new Map<string, SqlQuery>()

/** Parses the `--` header: first line is the description, then `$n:`, `returns:`, `requires:` lines. */
export function parseQuery(name: string, source: string): SqlQuery {
  const header: string[] = []
  for (const line of source.split('\n')) {
    if (!line.startsWith('--')) break
    header.push(line.replace(/^--\s?/, ''))
  }
  const description: string[] = []
  const params: string[] = []
  let returns: string | undefined
  let requires: string | undefined
  for (const line of header) {
    if (/^\$\d+:/.test(line)) params.push(line)
    else if (line.startsWith('returns:')) returns = line.slice(8).trim()
    else if (line.startsWith('requires:')) requires = line.slice(9).trim()
    else if (params.length === 0 && !returns) description.push(line.trim())
  }
  // The header documents the file; the server gets only the statement, tagged (pg_stat_statements then shows whose it is).
  const text = `${SQL_TAG} ${source.split('\n').slice(header.length).join('\n').trim()}`
  return {name, description: description.join(' ').trim(), params, returns, requires, text}
}

/** The server a statement is chosen for: `session.server` (src/db/session.ts). */
export interface ServerVersion {
  versionNum: number
}

/**
 * Loads `sql/queries/<name>.sql`, e.g. `query('db/table-counts')`. Given the server, a sibling
 * `<name>.pg<major>.sql` wins when the server's major is at least that (the highest such major).
 */
export function query(name: string, server?: ServerVersion): SqlQuery {
  const file = server ? variantFor(name, Math.floor(server.versionNum / 10_000)) : name
  let q = cache.get(file)
  if (!q) {
    q = parseQuery(file, readFileSync(join(sqlDir, 'queries', `${file}.sql`), 'utf8'))
    cache.set(file, q)
  }
  return q
}

const VARIANT = /^(.+)\.pg(\d+)$/
const variantCache = new Map<string, Array<{major: number; file: string}>>()

/** The version variants of a query, newest major first: `[{major: 17, file: 'vacuum/progress.pg17'}]`. */
export function variantsOf(name: string): Array<{major: number; file: string}> {
  let found = variantCache.get(name)
  if (!found) {
    const dir = dirname(name)
    found = readdirSync(join(sqlDir, 'queries', dir))
      .map((entry) => VARIANT.exec(entry.replace(/\.sql$/, '')))
      .filter((m): m is RegExpExecArray => m !== null && m[1] === basename(name))
      .map((m) => ({major: Number(m[2]), file: join(dir, m[0])}))
      .sort((a, b) => b.major - a.major)
    variantCache.set(name, found)
  }
  return found
}

function variantFor(name: string, major: number): string {
  return variantsOf(name).find((v) => v.major <= major)?.file ?? name
}

/** Every query under a topic (or all), for listings and the smoke test; version variants are in variantsOf. */
export function listQueries(topic?: string): SqlQuery[] {
  const root = join(sqlDir, 'queries', topic ?? '')
  const out: SqlQuery[] = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.name.endsWith('.sql') && !VARIANT.test(entry.name.replace(/\.sql$/, ''))) out.push(query(relative(join(sqlDir, 'queries'), path).replace(/\.sql$/, '')))
    }
  }
  walk(root)
  return out.sort((a, b) => a.name.localeCompare(b.name))
}
