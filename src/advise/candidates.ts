import type {ColumnPredicate, PlanFacts, SortColumn} from './predicates.js'

/** A column of a table as index advice sees it (sql/queries/advise/table-columns.sql). */
export interface ColumnInfo {
  relid: number
  schema_name: string
  table_name: string
  attnum: number
  column_name: string
  type_name: string
  /** A default btree operator class fits the type (never json, jsonb or arrays). */
  btree: boolean
  distinct_values: number | null
  null_frac: number | null
}

export interface ExistingIndex {
  relid: number
  index_name: string
  method: string
  valid: boolean
  partial: boolean
  keys: number[]
  options: number[]
}

export interface IndexColumn {
  name: string
  desc: boolean
  nulls: 'first' | 'last' | null
}

/** A btree index that could help: its table and columns in order. */
export interface IndexSpec {
  schema: string
  table: string
  columns: IndexColumn[]
}

export interface Catalog {
  /** `schema.table` -> its columns by name. */
  columns: Map<string, Map<string, ColumnInfo>>
  indexes: ExistingIndex[]
}

/** More columns rarely pay for their size and write cost. */
export const MAX_INDEX_COLUMNS = 4

export const tableKey = (schema: string, table: string) => `${schema}.${table}`
export const specKey = (s: IndexSpec) =>
  `${tableKey(s.schema, s.table)}(${s.columns.map((c) => `${c.name}${c.desc ? ' desc' : ''}${c.nulls ? ` nulls ${c.nulls}` : ''}`).join(',')})`

const asc = (name: string): IndexColumn => ({name, desc: false, nulls: null})

/**
 * The btree indexes worth trying for one statement, per table it reads: each filtered, joined or
 * range column alone; all equality columns together (the most selective first), then a range column or
 * the sort keys (in the sort's directions) after them; the sort keys alone; join keys with the equality
 * columns. Columns whose type no btree fits are never used, nor indexes the leading columns of an
 * existing index already cover.
 */
export function candidateIndexes(facts: PlanFacts, catalog: Catalog): IndexSpec[] {
  const out = new Map<string, IndexSpec>()
  for (const rel of facts.relations) {
    const columns = catalog.columns.get(tableKey(rel.schema, rel.table))
    if (!columns) continue
    const usable = (name: string) => columns.get(name)?.btree === true
    const mine = facts.predicates.filter((p) => p.alias === rel.alias && usable(p.column))
    const names = (kinds: ColumnPredicate['kind'][]) => [
      ...new Set(mine.filter((p) => kinds.includes(p.kind)).map((p) => p.column)),
    ]
    const bySelectivity = (list: string[]) =>
      [...list].sort(
        (a, b) =>
          (columns.get(b)!.distinct_values ?? 0) - (columns.get(a)!.distinct_values ?? 0) ||
          columns.get(a)!.attnum - columns.get(b)!.attnum,
      )
    const equal = bySelectivity(names(['eq']))
    const nulls = names(['null']).filter((c) => !equal.includes(c))
    const inList = names(['in']).filter((c) => !equal.includes(c) && !nulls.includes(c))
    const ranges = names(['range']).filter((c) => !equal.includes(c))
    const joins = names(['join'])
    const sort: SortColumn[] =
      facts.sort.length > 0 && facts.sort.every((s) => s.alias === rel.alias && usable(s.column)) ? facts.sort : []
    const equality = [...equal, ...nulls, ...inList]
    const add = (cols: IndexColumn[]) => {
      const seen = new Set<string>()
      const unique = cols.filter((c) => !seen.has(c.name) && seen.add(c.name)).slice(0, MAX_INDEX_COLUMNS)
      if (unique.length === 0) return
      const spec = {schema: rel.schema, table: rel.table, columns: unique}
      if (coveredByExisting(spec, catalog)) return
      // Scanned backwards, an index serves the reverse order too: keep the directions the sort asked for (added last).
      out.delete(specKey(reversed(spec)))
      out.set(specKey(spec), spec)
    }
    for (const c of [...equality, ...ranges, ...joins]) add([asc(c)])
    if (equality.length > 1) add(equality.map(asc))
    if (equality.length > 0) for (const r of ranges) add([...equality.map(asc), asc(r)])
    // IN breaks the order an index returns rows in: only single values come before the sort keys.
    const sortPrefix = [...equal, ...nulls]
    const sortColumns = sort.map((s) => ({name: s.column, desc: s.desc, nulls: s.nulls}))
    if (sort.length > 0) add([...sortPrefix.map(asc), ...sortColumns])
    if (sort.length > 0 && sortPrefix.length > 0) add(sortColumns)
    for (const j of joins) if (equality.length > 0) add(bySelectivity([j, ...equal]).map(asc))
  }
  return [...out.values()]
}

/** The same columns in the opposite directions (NULLS flipped with them). */
export function reversed(spec: IndexSpec): IndexSpec {
  return {
    ...spec,
    columns: spec.columns.map((c) => ({
      name: c.name,
      desc: !c.desc,
      nulls: c.nulls === null ? null : c.nulls === 'first' ? 'last' : 'first',
    })),
  }
}

/** An existing valid, non-partial btree whose leading key columns are the spec's columns (directions equal, or all reversed). */
export function coveredByExisting(spec: IndexSpec, catalog: Catalog): boolean {
  const columns = catalog.columns.get(tableKey(spec.schema, spec.table))
  if (!columns) return false
  const relid = columns.values().next().value?.relid
  const attnums = spec.columns.map((c) => columns.get(c.name)?.attnum)
  return catalog.indexes.some((ix) => {
    if (ix.relid !== relid || ix.method !== 'btree' || !ix.valid || ix.partial || ix.keys.length < attnums.length)
      return false
    if (!attnums.every((a, i) => ix.keys[i] === a)) return false
    const same = spec.columns.every((c, i) => Boolean(ix.options[i] & 1) === c.desc)
    const reversed = spec.columns.every((c, i) => Boolean(ix.options[i] & 1) !== c.desc)
    return same || reversed
  })
}

/** Whether `a`'s columns are the leading columns of `b` (same table). */
export function isPrefixOf(a: IndexSpec, b: IndexSpec): boolean {
  return (
    tableKey(a.schema, a.table) === tableKey(b.schema, b.table) &&
    a.columns.length < b.columns.length &&
    a.columns.every(
      (c, i) => c.name === b.columns[i].name && c.desc === b.columns[i].desc && c.nulls === b.columns[i].nulls,
    )
  )
}
