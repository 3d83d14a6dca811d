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

/** One key of a report's final ORDER BY, by output column: `created_at`, `2 DESC NULLS LAST`. */
export interface ReportOrder {
  column: string
  /** '', ' DESC', ' ASC NULLS FIRST', ...: normalized, upper case. */
  direction: string
}

export interface Report {
  name: string
  description: string
  params: ReportParam[]
  columns: ReportColumn[]
  query: SqlQuery
  /** The statement without its final ORDER BY (JSON lines order over it, see src/reports/run.ts). */
  body: string
  order: ReportOrder[]
  /** Run on a distributed database (in its Citus form from sql/queries/reports-citus/ when it has one). */
  distributed?: boolean
}

const PARAM = /^\$(\d+):\s*(org_id|since|until)\s+([a-z][a-z ]*?)\s*(?:\((.*)\))?\s*$/
/** The only types a COPY-side parameter may be cast to (see copyTemplate). */
const PARAM_TYPES = new Set(['uuid', 'timestamptz', 'text', 'int', 'bigint', 'date'])

export function toReport(query: SqlQuery): Report {
  const params = query.params.map((line) => {
    const m = PARAM.exec(line)
    if (!m || !PARAM_TYPES.has(m[3]))
      throw new Error(`${query.name}: parameter line "${line}" must read "$n: org_id|since|until <type> (meaning)"`)
    const meaning = m[4] ?? ''
    const def = /default\s+(\S+?)\)?$/.exec(meaning)?.[1] ?? null
    return {
      position: Number(m[1]),
      name: m[2] as ReportParam['name'],
      type: m[3],
      meaning,
      defaultValue: def && /^\d/.test(def) ? def : null,
    }
  })
  params.forEach((p, i) => {
    if (p.position !== i + 1) throw new Error(`${query.name}: parameters must be $1..$n in order`)
  })
  const columns = (query.returns ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean)
    .map((c) => {
      const [name, ...type] = c.split(/\s+/)
      return {name, type: type.join(' ')}
    })
  return {
    name: query.name.replace(/^reports\//, ''),
    description: query.description,
    params,
    columns,
    query,
    ...orderOf(query, columns),
  }
}

const ORDER_BY = /\nORDER BY ([^\n]+?)\s*;?\s*$/
const ORDER_KEY = /^(?:([a-z_][a-z0-9_]*)|(\d+))((?:\s+(?:ASC|DESC))?(?:\s+NULLS\s+(?:FIRST|LAST))?)$/i

/**
 * A report ends with `ORDER BY` over its own output columns, by name or position, so that the
 * same order can be applied outside it (where a subquery's ORDER BY would keep the planner from
 * merging the JSON line into it).
 */
function orderOf(query: SqlQuery, columns: ReportColumn[]): Pick<Report, 'body' | 'order'> {
  const m = ORDER_BY.exec(query.statement)
  const fail = (why: string) =>
    new Error(
      `${query.name}: ${why}; a report must end with a line "ORDER BY <output column or position> [ASC|DESC] [NULLS FIRST|LAST], ..."`,
    )
  if (!m) throw fail('no final ORDER BY line')
  const order = m[1].split(',').map((key) => {
    const k = ORDER_KEY.exec(key.trim())
    if (!k) throw fail(`"${key.trim()}" is not an output column`)
    const column = k[1] ?? columns[Number(k[2]) - 1]?.name
    if (!column || !columns.some((c) => c.name === column)) throw fail(`"${key.trim()}" is not one of its columns`)
    return {column, direction: k[3].replace(/\s+/g, ' ').toUpperCase()}
  })
  return {body: query.statement.slice(0, m.index).trimEnd(), order}
}

/** Every report: one file each in sql/queries/reports/, described by its header. */
export function listReports(): Report[] {
  return listQueries('reports').map(toReport)
}

export function findReport(name: string): Report {
  const all = listReports()
  const report = all.find((r) => r.name === name)
  if (!report)
    throw notFound(
      `no report named "${name}"`,
      `reports: ${all.map((r) => r.name).join(', ')} (see \`fluxadmin reports list\`)`,
    )
  return report
}

/**
 * The same report for the distributed layout on Citus, when it has one (sql/queries/reports-citus/): there the
 * tenant tables join on organization_id as well, which keeps each join on one shard. Same parameters, same columns.
 */
export function distributedReport(report: Report): Report {
  const variant = listQueries('reports-citus').find((q) => q.name === `reports-citus/${report.name}`)
  return {...(variant ? toReport(variant) : report), name: report.name, distributed: true}
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
