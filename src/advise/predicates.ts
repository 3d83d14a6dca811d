import {indexesUsed, planNodes, type PlanNode} from '../stats/plans.js'

/**
 * What an index could serve in a statement, read from its VERBOSE JSON plan: the tables it scans, the
 * column predicates on them (equality, IN, IS NULL, ranges, join keys), the sort keys and whether a LIMIT
 * stops early. VERBOSE qualifies every column with its table's alias, so each maps to one table.
 */

export interface Relation {
  alias: string
  schema: string
  table: string
}

export type PredicateKind = 'eq' | 'in' | 'null' | 'range' | 'join'

export interface ColumnPredicate {
  alias: string
  column: string
  kind: PredicateKind
  /** For ranges: which side the value is on (`>` means column > value). */
  op: string
  /** The $n this predicate compares with (for parameter sampling). */
  params: number[]
}

export interface SortColumn {
  alias: string
  column: string
  desc: boolean
  /** Only when it differs from the direction's default (NULLS LAST for ASC, FIRST for DESC). */
  nulls: 'first' | 'last' | null
}

export interface PlanFacts {
  relations: Relation[]
  predicates: ColumnPredicate[]
  /** Empty when there is no sort or a key is not a plain column. */
  sort: SortColumn[]
  limited: boolean
  cost: number
  indexes: string[]
}

const EXPRESSION_KEYS = ['Filter', 'Index Cond', 'Recheck Cond', 'Hash Cond', 'Merge Cond', 'Join Filter', 'TID Cond']
const COMPARISONS = new Set(['=', '<', '<=', '>', '>='])
const FLIP: Record<string, string> = {'=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<='}
/** Casts that keep a btree on the column usable (varchar and char compare as text). */
const TRANSPARENT_CASTS = new Set(['text', 'character varying', 'varchar', 'bpchar'])

/** Walks a string at parenthesis/bracket depth 0 outside quotes, calling at(i) for each such position. */
function scanTop(s: string, at: (i: number) => boolean | void): void {
  let depth = 0
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    if (c === "'" || c === '"') {
      const close = s.indexOf(c, i + 1)
      i = close === -1 ? s.length : close
      continue
    }
    if (c === '(' || c === '[') depth++
    else if (c === ')' || c === ']') depth--
    else if (depth === 0 && at(i) === true) return
  }
}

/** `((a = 1))` -> `a = 1`: removes parentheses that enclose the whole text. */
export function stripParens(s: string): string {
  let t = s.trim()
  while (t.startsWith('(')) {
    let depth = 0
    let closesAt = -1
    for (let i = 0; i < t.length; i++) {
      if (t[i] === "'" || t[i] === '"') {
        i = t.indexOf(t[i], i + 1)
        if (i === -1) return t
        continue
      }
      if (t[i] === '(') depth++
      else if (t[i] === ')' && --depth === 0) {
        closesAt = i
        break
      }
    }
    if (closesAt !== t.length - 1) break
    t = t.slice(1, -1).trim()
  }
  return t
}

/** Splits on a separator that stands at depth 0 (` AND `, ` `). */
export function splitTop(s: string, separator: string): string[] {
  const parts: string[] = []
  let start = 0
  scanTop(s, (i) => {
    if (s.startsWith(separator, i)) {
      parts.push(s.slice(start, i))
      start = i + separator.length
    }
  })
  parts.push(s.slice(start))
  return parts.map((p) => p.trim()).filter(Boolean)
}

const unquote = (name: string) => (name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name)
const IDENT = String.raw`("(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)`
const COLUMN = new RegExp(`^${IDENT}\\.${IDENT}$`, 'i')

/** `(m.status)::text` -> {alias: 'm', column: 'status'}; anything that is not a bare column (or a transparent cast of one): undefined. */
export function columnRef(atom: string): {alias: string; column: string} | undefined {
  let a = stripParens(atom)
  for (;;) {
    const cast = /^(.*)::([a-z][a-z ]*?)(\(\d+\))?$/i.exec(a)
    if (!cast || (!cast[1].endsWith(')') && !COLUMN.test(cast[1]))) break
    if (!TRANSPARENT_CASTS.has(cast[2].toLowerCase())) return undefined
    a = stripParens(cast[1])
  }
  const m = COLUMN.exec(a)
  return m ? {alias: unquote(m[1]), column: unquote(m[2])} : undefined
}

const paramsIn = (s: string) => [...s.replace(/'(?:[^']|'')*'/g, '').matchAll(/\$(\d+)/g)].map((m) => Number(m[1]))

/** Column references of known aliases inside a value expression. */
function refsIn(s: string, aliases: Set<string>): string[] {
  const bare = s.replace(/'(?:[^']|'')*'/g, '')
  return [...bare.matchAll(new RegExp(`${IDENT}\\.${IDENT}`, 'gi'))]
    .map((m) => unquote(m[1]))
    .filter((a) => aliases.has(a))
}

/** One conjunct (`(m.a = $1)`) as column predicates; OR, NOT, functions of columns and other operators give none. */
export function parseConjunct(conjunct: string, aliases: Set<string>): ColumnPredicate[] {
  const c = stripParens(conjunct)
  if (splitTop(c, ' OR ').length > 1) return []
  const tokens = splitTop(c, ' ')
  if (tokens.length === 3 && tokens[1] === 'IS' && tokens[2] === 'NULL') {
    const ref = columnRef(tokens[0])
    return ref && aliases.has(ref.alias) ? [{...ref, kind: 'null', op: 'IS NULL', params: []}] : []
  }
  if (tokens.length < 3 || !COMPARISONS.has(tokens[1])) return []
  let lhs = tokens[0]
  let op = tokens[1]
  let rhs = tokens.slice(2).join(' ')
  let left = columnRef(lhs)
  const right = columnRef(rhs)
  if (left && right) {
    if (op !== '=' || left.alias === right.alias || !aliases.has(left.alias) || !aliases.has(right.alias)) return []
    return [
      {...left, kind: 'join', op, params: []},
      {...right, kind: 'join', op, params: []},
    ]
  }
  if (!left && right) {
    ;[lhs, rhs, op, left] = [rhs, lhs, FLIP[op], right]
  }
  if (!left || !aliases.has(left.alias)) return []
  const any = /^ANY\s/.test(rhs)
  if (any && op !== '=') return []
  const refs = refsIn(rhs, aliases)
  if (refs.includes(left.alias)) return []
  if (refs.length > 0) return op === '=' && !any ? [{...left, kind: 'join', op, params: []}] : []
  return [{...left, kind: any ? 'in' : op === '=' ? 'eq' : 'range', op, params: paramsIn(rhs)}]
}

/** `m.created_at DESC NULLS LAST` -> a sort column; an expression: undefined. */
function sortColumn(key: string, aliases: Set<string>): SortColumn | undefined {
  const m = /^(.*?)( DESC)?( NULLS (FIRST|LAST))?$/.exec(key.trim())!
  const ref = columnRef(m[1])
  if (!ref || !aliases.has(ref.alias)) return undefined
  const desc = Boolean(m[2])
  const nulls = m[4] ? (m[4].toLowerCase() as 'first' | 'last') : null
  return {...ref, desc, nulls: nulls === (desc ? 'first' : 'last') ? null : nulls}
}

/** Everything index advice reads from one VERBOSE JSON plan. */
export function planFacts(root: PlanNode): PlanFacts {
  const nodes = [...planNodes(root)]
  const relations: Relation[] = []
  for (const n of nodes) {
    if (
      typeof n['Relation Name'] === 'string' &&
      typeof n.Alias === 'string' &&
      !relations.some((r) => r.alias === n.Alias)
    ) {
      relations.push({alias: n.Alias, schema: String(n.Schema ?? 'public'), table: n['Relation Name']})
    }
  }
  const aliases = new Set(relations.map((r) => r.alias))
  const predicates: ColumnPredicate[] = []
  for (const n of nodes) {
    for (const key of EXPRESSION_KEYS) {
      if (typeof n[key] !== 'string') continue
      for (const conjunct of splitTop(stripParens(n[key] as string), ' AND '))
        predicates.push(...parseConjunct(conjunct, aliases))
    }
  }
  // The outermost sort is the one ORDER BY asked for.
  const sortNode = nodes.find((n) => Array.isArray(n['Sort Key']))
  const keys = (sortNode?.['Sort Key'] as string[] | undefined) ?? []
  const sort = keys.map((k) => sortColumn(k, aliases))
  return {
    relations,
    predicates: dedupe(predicates),
    sort: sort.every(Boolean) ? (sort as SortColumn[]) : [],
    limited: nodes.some((n) => n['Node Type'] === 'Limit'),
    cost: Number(root['Total Cost'] ?? 0),
    indexes: indexesUsed(root),
  }
}

function dedupe(predicates: ColumnPredicate[]): ColumnPredicate[] {
  const seen = new Map<string, ColumnPredicate>()
  for (const p of predicates) {
    const key = `${p.alias}.${p.column}/${p.kind}/${p.op}`
    const had = seen.get(key)
    if (had) had.params = [...new Set([...had.params, ...p.params])]
    else seen.set(key, {...p, params: [...p.params]})
  }
  return [...seen.values()]
}
