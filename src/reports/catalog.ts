import {listQueries, type SqlQuery} from '../db/queries.js'
import {notFound} from '../errors.js'

/** A report parameter as its SQL header documents it: `-- $2: since timestamptz (window start; default 30d)`. */
export interface ReportParam {
  position: number
  name: 'org_id' | 'since' | 'until'
  type: string
  meaning: string
  /** A duration ago (`30d`) or null (unbounded / now, as the SQL says). */
  defaultValue: string | null
}

export interface ReportColumn {
  name: string
  type: string
}

export interface Report {
  name: string
  description: string
  params: ReportParam[]
  columns: ReportColumn[]
  query: SqlQuery
}

const PARAM = /^\$(\d+):\s*(org_id|since|until)\s+([a-z][a-z ]*?)\s*(?:\((.*)\))?\s*$/
/** The only types a COPY-side parameter may be cast to (see copyTemplate). */
export const PARAM_TYPES = new Set(['uuid', 'timestamptz', 'text', 'int', 'bigint', 'date'])

export function toReport(query: SqlQuery): Report {
  const params = query.params.map((line) => {
    const m = PARAM.exec(line)
    if (!m || !PARAM_TYPES.has(m[3])) throw new Error(`${query.name}: parameter line "${line}" must read "$n: org_id|since|until <type> (meaning)"`)
    const meaning = m[4] ?? ''
    const def = /default\s+(\S+?)\)?$/.exec(meaning)?.[1] ?? null
    return {position: Number(m[1]), name: m[2] as ReportParam['name'], type: m[3], meaning, defaultValue: def && /^\d/.test(def) ? def : null}
  })
  params.forEach((p, i) => {
    if (p.position !== i + 1) throw new Error(`${query.name}: parameters must be $1..$n in order`)
  })
  const columns = (query.returns ?? '').split(',').map((c) => c.trim()).filter(Boolean).map((c) => {
    const [name, ...type] = c.split(/\s+/)
    return {name, type: type.join(' ')}
  })
  return {name: query.name.replace(/^reports\//, ''), description: query.description, params, columns, query}
}

/** Every report: one file each in sql/queries/reports/, described by its header. */
export function listReports(): Report[] {
  return listQueries('reports').map(toReport)
}

export function findReport(name: string): Report {
  const all = listReports()
  const report = all.find((r) => r.name === name)
  if (!report) throw notFound(`no report named "${name}"`, `reports: ${all.map((r) => r.name).join(', ')} (see \`fluxadmin reports list\`)`)
  return report
}

/** Rows for `reports list`. */
export function reportSummaries() {
  return listReports().map((r) => ({
    name: r.name,
    description: r.description,
    parameters: r.params.map((p) => `${flagFor(p.name)} (${p.meaning})`).join('; '),
    columns: r.columns.map((c) => c.name).join(', '),
  }))
}

export function flagFor(param: ReportParam['name']): string {
  return param === 'org_id' ? '--org' : `--${param}`
}
