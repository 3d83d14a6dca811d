import {existsSync, readFileSync, readdirSync} from 'node:fs'
import {basename, dirname, join, relative} from 'node:path'
import {sqlDir} from '../paths.js'

/** One statement from sql/queries, with the header comment that documents it. */
export interface SqlQuery {
  name: string
  description: string
  params: string[]
  returns?: string
  requires?: string
  /** The statement as the file has it (what checks and tests read). */
  statement: string
  /** What is sent: the statement behind SQL_TAG. */
  text: string
}

/** Leads every statement fluxadmin sends, so that pg_stat_statements tells its own statements apart. */
export const SQL_TAG = '/* fluxadmin */'
/** A statement fluxadmin sent itself (pg_stat_statements keeps the tag in the text it shows). */
export const isOwnStatement = (text: string) => text.startsWith(SQL_TAG)

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
  const statement = source.split('\n').slice(header.length).join('\n').trim()
  return {
    name,
    description: description.join(' ').trim(),
    params,
    returns,
    requires,
    statement,
    text: `${SQL_TAG} ${statement}`,
  }
}

/**
 * What a statement is chosen for: the server (`session.server`) and, for files reading pg_stat_statements,
 * the extension's installed `extversion` (it stays old after pg_upgrade until ALTER EXTENSION ... UPDATE).
 */
export interface ServerVersion {
  versionNum: number
  /** pg_stat_statements' extversion in this database, e.g. `1.10` (requireStatements in src/stats/extension.ts). */
  pgStatStatements?: string
}

/** A sibling file `<name>.pg<major>.sql` (by server major) or `<name>.pgss<extversion>.sql` (by pg_stat_statements' extversion). */
export interface QueryVariant {
  kind: 'pg' | 'pgss'
  version: string
  file: string
}

const VARIANT = /^(.+)\.(pgss|pg)(\d+(?:\.\d+)?)$/

function load(file: string): SqlQuery {
  let q = cache.get(file)
  if (!q) {
    q = parseQuery(file, readFileSync(join(sqlDir, 'queries', `${file}.sql`), 'utf8'))
    cache.set(file, q)
  }
  return q
}

/**
 * Loads `sql/queries/<name>.sql`, e.g. `query('db/table-counts')`. When the query has version variants,
 * the newest one the server (or the installed pg_stat_statements) is at least wins, else the base file;
 * calling such a query without saying what it runs on is a bug, so it throws.
 */
export function query(name: string, server?: ServerVersion): SqlQuery {
  const variants = variantsOf(name)
  if (variants.length === 0) return load(name)
  const have = server && versionFor(variants[0].kind, server)
  if (!have)
    throw new Error(
      `query('${name}') has ${variants[0].kind === 'pg' ? 'server version' : 'pg_stat_statements version'} variants: pass ${variants[0].kind === 'pg' ? 'session.server' : 'the StatementsInfo of requireStatements()'}`,
    )
  return load(variants.find((v) => compareVersions(v.version, have) <= 0)?.file ?? name)
}

/** The server's major (`'17'`) or the installed pg_stat_statements version (`'1.11'`, undefined when not known). */
function versionFor(kind: QueryVariant['kind'], server: ServerVersion): string | undefined {
  return kind === 'pg' ? String(Math.floor(server.versionNum / 10_000)) : server.pgStatStatements
}

/** Whether the server meets a `-- requires: pg >= 16` or `-- requires: pg_stat_statements >= 1.9` header line (others: yes). */
export function meetsRequirement(q: SqlQuery, server: ServerVersion): boolean {
  const m = /^(pg|pg_stat_statements) >= ([\d.]+)$/.exec(q.requires ?? '')
  if (!m) return true
  const have = versionFor(m[1] === 'pg' ? 'pg' : 'pgss', server)
  return have !== undefined && compareVersions(have, m[2]) >= 0
}

/** `'1.9'` < `'1.10'`; `'16'` < `'17'`. */
export function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number)
  const y = b.split('.').map(Number)
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

const variantCache = new Map<string, QueryVariant[]>()
const dirCache = new Map<string, string[]>()

function entriesOf(dir: string): string[] {
  let entries = dirCache.get(dir)
  if (!entries) {
    entries = existsSync(join(sqlDir, 'queries', dir)) ? readdirSync(join(sqlDir, 'queries', dir)) : []
    dirCache.set(dir, entries)
  }
  return entries
}

/** Whether sql/queries/<name>.sql exists. */
export const hasQuery = (name: string): boolean => entriesOf(dirname(name)).includes(`${basename(name)}.sql`)

/** The version variants of a query, newest first: `[{kind: 'pg', version: '17', file: 'vacuum/progress.pg17'}]`. */
export function variantsOf(name: string): QueryVariant[] {
  let found = variantCache.get(name)
  if (!found) {
    const dir = dirname(name)
    found = entriesOf(dir)
      .map((entry) => VARIANT.exec(entry.replace(/\.sql$/, '')))
      .filter((m): m is RegExpExecArray => m !== null && m[1] === basename(name))
      .map((m) => ({kind: m[2] as QueryVariant['kind'], version: m[3], file: join(dir, m[0])}))
      .sort((a, b) => compareVersions(b.version, a.version))
    if (new Set(found.map((v) => v.kind)).size > 1)
      throw new Error(`${name} mixes pg and pgss variants: a query varies by one of them`)
    variantCache.set(name, found)
  }
  return found
}

/** Every query under a topic (or all), base files only, for listings and the smoke test; version variants are in variantsOf. */
export function listQueries(topic?: string): SqlQuery[] {
  const root = join(sqlDir, 'queries', topic ?? '')
  const out: SqlQuery[] = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.name.endsWith('.sql') && !VARIANT.test(entry.name.replace(/\.sql$/, '')))
        out.push(load(relative(join(sqlDir, 'queries'), path).replace(/\.sql$/, '')))
    }
  }
  walk(root)
  return out.sort((a, b) => a.name.localeCompare(b.name))
}
