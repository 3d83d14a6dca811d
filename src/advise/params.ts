import {readFile} from 'node:fs/promises'
import type pg from 'pg'
import {query} from '../db/queries.js'
import {usageError} from '../errors.js'
import type {PlanFacts} from './predicates.js'

/** Where a statement's $n gets its values: a column it is compared with (from pg_stats), or LIMIT / OFFSET. */
export type ParamSource =
  {kind: 'column'; schema: string; table: string; column: string; op: string} | {kind: 'limit'} | {kind: 'offset'}

/** What LIMIT $n and OFFSET $n get: pg_stat_statements keeps no values, and a page is the common case. */
export const SAMPLE_LIMIT = '20'

/** $n -> its source, from the plan's predicates and the statement's LIMIT / OFFSET. */
export function paramSources(text: string, facts: PlanFacts): Map<number, ParamSource> {
  const sources = new Map<number, ParamSource>()
  const byAlias = new Map(facts.relations.map((r) => [r.alias, r]))
  for (const p of facts.predicates) {
    const rel = byAlias.get(p.alias)
    if (!rel) continue
    for (const n of p.params)
      if (!sources.has(n))
        sources.set(n, {kind: 'column', schema: rel.schema, table: rel.table, column: p.column, op: p.op})
  }
  const bare = text.replace(/'(?:[^']|'')*'/g, '')
  for (const m of bare.matchAll(/\b(LIMIT|OFFSET)\s+\$(\d+)/gi))
    sources.set(Number(m[2]), {kind: m[1].toLowerCase() as 'limit' | 'offset'})
  return sources
}

interface ColumnSample {
  schema_name: string
  table_name: string
  column_name: string
  common: string[] | null
  histogram: string[] | null
}

/** The values one parameter cycles through: most common values for equality, the histogram's far end for a range. */
function pool(source: ParamSource, samples: Map<string, ColumnSample>): string[] {
  if (source.kind === 'limit') return [SAMPLE_LIMIT]
  if (source.kind === 'offset') return ['0']
  const s = samples.get(`${source.schema}.${source.table}.${source.column}`)
  const common = s?.common ?? []
  const histogram = s?.histogram ?? []
  if (source.op === '=' || histogram.length === 0) return [...common, ...histogram]
  // A range the application asks for is usually a narrow one: the newest (col > $1) or oldest (col < $1) few percent of the rows.
  const at = (share: number) => Math.min(histogram.length - 1, Math.floor(histogram.length * share))
  const window = source.op.startsWith('>')
    ? histogram.slice(at(0.95), at(0.99) + 1)
    : histogram.slice(at(0.01), at(0.05) + 1)
  return window.length > 0 ? window : histogram
}

export type ParamSets = {sets: Array<Array<string | null>>} | {missing: number[]}

/**
 * `count` sets of values for a statement's `paramCount` parameters, sampled from pg_stats (`missing`: the
 * parameters without a source, e.g. compared with an expression, or columns never analyzed).
 */
export async function sampleParamSets(
  client: pg.ClientBase,
  text: string,
  facts: PlanFacts,
  paramCount: number,
  count: number,
): Promise<ParamSets> {
  const sources = paramSources(text, facts)
  const columns = [...sources.values()].filter((s): s is Extract<ParamSource, {kind: 'column'}> => s.kind === 'column')
  const {rows} =
    columns.length === 0
      ? {rows: []}
      : await client.query<ColumnSample>(query('advise/column-samples').text, [
          columns.map((c) => c.schema),
          columns.map((c) => c.table),
          columns.map((c) => c.column),
        ])
  const samples = new Map(rows.map((r) => [`${r.schema_name}.${r.table_name}.${r.column_name}`, r]))
  const pools: string[][] = []
  const missing: number[] = []
  for (let n = 1; n <= paramCount; n++) {
    const source = sources.get(n)
    const values = source ? pool(source, samples) : []
    if (values.length === 0) missing.push(n)
    pools.push(values)
  }
  if (missing.length > 0) return {missing}
  return {sets: Array.from({length: count}, (_, i) => pools.map((values) => values[i % values.length]))}
}

/** `--params FILE`: one JSON array of values per line ($1, $2, ... in order), as many values as the statement takes. */
export async function readParamsFile(path: string, paramCount: number): Promise<Array<Array<string | null>>> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw usageError(
      `cannot read --params ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      'give a file with one JSON array of values per line, e.g. ["acme", 20]',
    )
  }
  const sets = text
    .split('\n')
    .map((line, i) => ({line: line.trim(), number: i + 1}))
    .filter((l) => l.line !== '')
    .map(({line, number}) => {
      let values: unknown
      try {
        values = JSON.parse(line)
      } catch {
        values = undefined
      }
      if (
        !Array.isArray(values) ||
        values.length !== paramCount ||
        values.some((v) => v !== null && typeof v === 'object')
      ) {
        throw usageError(
          `--params ${path} line ${number}: expected a JSON array of ${paramCount} value${paramCount === 1 ? '' : 's'}`,
          'one parameter set per line, e.g. ["acme", 20]',
        )
      }
      return values.map((v) => (v === null ? null : String(v)))
    })
  if (sets.length === 0)
    throw usageError(`--params ${path} holds no parameter sets`, 'one JSON array of values per line, e.g. ["acme", 20]')
  return sets
}
