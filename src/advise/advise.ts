import type pg from 'pg'
import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {FluxError, usageError} from '../errors.js'
import {requireStatements, type StatementsInfo} from '../stats/extension.js'
import {
  candidateIndexes,
  isPrefixOf,
  reversed,
  specKey,
  tableKey,
  type Catalog,
  type ColumnInfo,
  type ExistingIndex,
  type IndexSpec,
} from './candidates.js'
import {
  createHypothetical,
  hypotheticalOid,
  hypotheticalSizes,
  indexStatements,
  requireHypopg,
  resetHypothetical,
} from './hypopg.js'
import {evaluate, prepareSubject, selectStatements, type Selection, type Subject} from './subjects.js'
import type {AdviseResult, Suggestion} from './types.js'
import {INDEX_WRITE_MS, tableWrites} from './writes.js'

export interface AdviseOptions extends Partial<Selection> {
  /** Least cost drop, in percent (default 50). */
  minSaving?: number
  /** Drop suggestions whose write cost is more than this many times their saving (default 1). */
  maxWriteOverhead?: number
  /** --verify follows: refuse a standby or a pooler before any work. */
  verify?: boolean
}

export const DEFAULT_MIN_SAVING = 50
export const DEFAULT_MAX_WRITE_OVERHEAD = 1
/** Hypothetical indexes alive at once: HypoPG's oids are limited, so candidates go in batches, with hypopg_reset between. */
export const HYPOTHETICAL_BATCH = 40
const DAY_MS = 86_400_000
const TIE_SHARE = 0.02

/**
 * Index advice with proof: candidate btree indexes from each statement's plan, each tried as a HypoPG
 * hypothetical index; suggested only when the statement's cost drops by at least --min-saving percent and
 * the plan uses it. Ranked by the time saved per day, with the write cost of the index. Nothing is created:
 * hypothetical indexes live in this session only, and are reset before it ends.
 */
export async function adviseIndexes(session: Session, options: AdviseOptions = {}): Promise<AdviseResult> {
  const minSaving = options.minSaving ?? DEFAULT_MIN_SAVING
  if (!(minSaving >= 0 && minSaving <= 100))
    throw usageError(
      `--min-saving must be from 0 to 100 (percent), got ${minSaving}`,
      'e.g. --min-saving 30 for indexes that cut the cost by 30 % or more',
    )
  if (options.queryid !== undefined && !/^-?\d{1,20}$/.test(options.queryid))
    throw usageError(`invalid queryid "${options.queryid}"`, 'a queryid is an integer, as `stats top` shows it')
  const selection: Selection = {
    minCalls: options.minCalls ?? 10,
    minTotalMs: options.minTotalMs ?? 0,
    queryid: options.queryid,
    query: options.query,
    limit: options.limit ?? 100,
  }
  if (options.verify) await (await import('./verify.js')).assertCanVerify(session)
  const info = selection.query === undefined ? await requireStatements(session) : undefined
  return inTransaction(session, 'read', async (client, tx) => {
    tx.rollbackOnly()
    await requireHypopg(client, Math.floor(session.server.versionNum / 10_000))
    // For the whole (rolled back) transaction: EXPLAIN EXECUTE shows the generic plan; EXPLAIN with values stays custom.
    await client.query(query('advise/set-plan-cache-mode').text, ['force_generic_plan'])
    try {
      return await advise(
        client,
        session,
        info,
        selection,
        minSaving,
        options.maxWriteOverhead ?? DEFAULT_MAX_WRITE_OVERHEAD,
      )
    } finally {
      await resetHypothetical(client).catch(() => {})
    }
  })
}

async function advise(
  client: pg.ClientBase,
  session: Session,
  info: StatementsInfo | undefined,
  selection: Selection,
  minSaving: number,
  maxWriteOverhead: number,
): Promise<AdviseResult> {
  const server = {versionNum: session.server.versionNum, pgStatStatements: info?.pgStatStatements}
  const rows = await selectStatements(client, info, selection)
  const notes: string[] = []
  const subjects: Subject[] = []
  const unplanned: string[] = []
  for (const row of rows) {
    try {
      subjects.push(await prepareSubject(client, server, row))
    } catch (error) {
      if (selection.query !== undefined || selection.queryid !== undefined) throw unplannable(error)
      unplanned.push(String(row.queryid))
    }
  }
  if (unplanned.length > 0)
    notes.push(
      `${unplanned.length} statement${unplanned.length === 1 ? '' : 's'} could not be planned here and were left out (queryid ${unplanned.slice(0, 5).join(', ')}${unplanned.length > 5 ? ', ...' : ''})`,
    )
  const catalog = await loadCatalog(client, subjects)
  const candidates = new Map<Subject, IndexSpec[]>(subjects.map((s) => [s, candidateIndexes(s.facts, catalog)]))
  const threshold = (s: Subject) => s.base * (1 - minSaving / 100)

  // Pass 1, in batches: which candidates does the planner pick for each statement when all of them exist?
  const picked = new Map<Subject, Set<string>>()
  const {specs: all, keyOf} = uniqueSpecs([...candidates.values()].flat())
  for (const batch of batches(all)) {
    await resetHypothetical(client)
    const oids = await createHypothetical(client, batch)
    const byOid = new Map(oids.map((oid, i) => [oid, batch[i]]))
    const tables = new Set(batch.map((b) => tableKey(b.schema, b.table)))
    for (const s of subjects) {
      if (![...s.tables].some((t) => tables.has(t))) continue
      const result = await evaluate(client, server, s).catch(() => undefined)
      if (!result || result.cost > threshold(s)) continue
      for (const name of result.indexes) {
        const spec = byOid.get(hypotheticalOid(name) ?? -1)
        if (spec) (picked.get(s) ?? picked.set(s, new Set()).get(s)!).add(specKey(spec))
      }
    }
  }

  // The statement's own narrower candidates that lead a picked one get tried alone too: they may do as well for less.
  const specs = new Map(all.map((s) => [specKey(s), s]))
  for (const [s, set] of picked) {
    for (const own of candidates.get(s)!.map((c) => keyOf(c)))
      if ([...set].some((k) => isPrefixOf(specs.get(own)!, specs.get(k)!))) set.add(own)
  }

  // Pass 2: each picked index alone, for the statements that picked one on its table: its own cost, size and saving.
  const helps = new Map<string, Map<Subject, number>>()
  const sizes = new Map<string, number>()
  for (const key of new Set([...picked.values()].flatMap((set) => [...set]))) {
    const spec = specs.get(key)!
    await resetHypothetical(client)
    const [oid] = await createHypothetical(client, [spec])
    sizes.set(key, (await hypotheticalSizes(client, [oid])).get(oid) ?? 0)
    // The statements that picked it, or an index it leads or that leads it (the choice between those needs both costs).
    const related = (k: string) => k === key || isPrefixOf(spec, specs.get(k)!) || isPrefixOf(specs.get(k)!, spec)
    for (const s of subjects) {
      if (![...(picked.get(s) ?? [])].some(related)) continue
      const result = await evaluate(client, server, s).catch(() => undefined)
      if (result && result.cost <= threshold(s) && result.indexes.some((n) => hypotheticalOid(n) === oid))
        (helps.get(key) ?? helps.set(key, new Map()).get(key)!).set(s, result.cost)
    }
  }
  await resetHypothetical(client)

  const chosen = chooseIndexes(subjects, specs, helps)
  const suggestions = await describe(client, chosen, specs, helps, sizes, catalog, await callsWindowMs(client, info))
  const kept = suggestions.filter(
    (s) =>
      s.write_ms_per_day === null ||
      s.saving_ms_per_day === null ||
      s.write_ms_per_day <= maxWriteOverhead * s.saving_ms_per_day,
  )
  if (kept.length < suggestions.length)
    notes.push(
      `${suggestions.length - kept.length} index${suggestions.length - kept.length === 1 ? '' : 'es'} left out: the writes would cost more than ${maxWriteOverhead}x what they save (--max-write-overhead)`,
    )
  kept.forEach((s, i) => {
    s.rank = i + 1
  })
  return {suggestions: kept, notes, examined: subjects.length}
}

function unplannable(error: unknown): Error {
  const e = error as Error & {code?: string}
  if (e instanceof FluxError || !e.code) return e
  return new FluxError(`this statement cannot be planned: ${e.message}`, {
    kind: 'usage',
    sqlstate: e.code,
    hint: 'check the statement runs in this database (tables, columns, parameter types)',
  })
}

/** Each candidate once; of two that are each other's reverse (one serves the other backwards), the one with fewer DESC columns. */
function uniqueSpecs(specs: IndexSpec[]): {specs: IndexSpec[]; keyOf: (spec: IndexSpec) => string} {
  const descs = (s: IndexSpec) => s.columns.filter((c) => c.desc).length
  const twinKey = (s: IndexSpec) => specKey(s.columns[0].desc ? reversed(s) : s)
  const kept = new Map<string, IndexSpec>()
  for (const s of specs) {
    const had = kept.get(twinKey(s))
    if (!had || descs(s) < descs(had)) kept.set(twinKey(s), s)
  }
  return {specs: [...kept.values()], keyOf: (spec) => specKey(kept.get(twinKey(spec))!)}
}

/** Batches of candidates, a table's candidates kept together where they fit. */
function batches(specs: IndexSpec[]): IndexSpec[][] {
  const byTable = new Map<string, IndexSpec[]>()
  for (const s of specs)
    (
      byTable.get(tableKey(s.schema, s.table)) ??
      byTable.set(tableKey(s.schema, s.table), []).get(tableKey(s.schema, s.table))!
    ).push(s)
  const out: IndexSpec[][] = []
  let current: IndexSpec[] = []
  for (const group of byTable.values()) {
    for (const s of group) {
      if (current.length >= HYPOTHETICAL_BATCH) {
        out.push(current)
        current = []
      }
      current.push(s)
    }
  }
  if (current.length > 0) out.push(current)
  return out
}

/**
 * Each statement's best index (the largest cost drop; within 2 % of it the fewer columns), then an index whose
 * columns lead a longer chosen one that helps all its statements as well gives way to that one.
 */
function chooseIndexes(
  subjects: Subject[],
  specs: Map<string, IndexSpec>,
  helps: Map<string, Map<Subject, number>>,
): Map<string, Subject[]> {
  const chosen = new Map<string, Subject[]>()
  for (const s of subjects) {
    const options = [...helps]
      .filter(([, m]) => m.has(s))
      .map(([key, m]) => ({key, cost: m.get(s)!, columns: specs.get(key)!.columns.length}))
    const cheapest = Math.min(...options.map((o) => o.cost))
    // Within TIE_SHARE of the cheapest, the narrower index wins: a column that saves next to nothing still costs writes.
    const best = options
      .filter((o) => o.cost <= cheapest * (1 + TIE_SHARE))
      .sort((a, b) => a.columns - b.columns || a.cost - b.cost || a.key.localeCompare(b.key))[0]
    if (best) (chosen.get(best.key) ?? chosen.set(best.key, []).get(best.key)!).push(s)
  }
  for (const key of [...chosen.keys()].sort(
    (a, b) => specs.get(a)!.columns.length - specs.get(b)!.columns.length || a.localeCompare(b),
  )) {
    // The longer index chosen by the most statements (then the cheapest for these, then by name) takes them over.
    const longer = [...chosen.keys()]
      .filter(
        (other) =>
          other !== key &&
          isPrefixOf(specs.get(key)!, specs.get(other)!) &&
          chosen.get(key)!.every((s) => helps.get(other)?.has(s)),
      )
      .map((other) => ({
        other,
        count: chosen.get(other)!.length,
        cost: chosen.get(key)!.reduce((n, s) => n + helps.get(other)!.get(s)!, 0),
      }))
      .sort((a, b) => b.count - a.count || a.cost - b.cost || a.other.localeCompare(b.other))[0]?.other
    if (longer) {
      chosen.get(longer)!.push(...chosen.get(key)!)
      chosen.delete(key)
    }
  }
  return chosen
}

async function loadCatalog(client: pg.ClientBase, subjects: Subject[]): Promise<Catalog> {
  const tables = [
    ...new Map(subjects.flatMap((s) => s.facts.relations).map((r) => [tableKey(r.schema, r.table), r])).values(),
  ]
  const {rows} = await client.query<ColumnInfo>(query('advise/table-columns').text, [
    tables.map((t) => t.schema),
    tables.map((t) => t.table),
  ])
  const columns = new Map<string, Map<string, ColumnInfo>>()
  for (const c of rows)
    (
      columns.get(tableKey(c.schema_name, c.table_name)) ??
      columns.set(tableKey(c.schema_name, c.table_name), new Map()).get(tableKey(c.schema_name, c.table_name))!
    ).set(c.column_name, {...c, relid: Number(c.relid)})
  const relids = [...new Set(rows.map((c) => Number(c.relid)))]
  const {rows: indexes} = await client.query<ExistingIndex>(query('advise/table-indexes').text, [relids])
  return {columns, indexes: indexes.map((i) => ({...i, relid: Number(i.relid)}))}
}

/** How long pg_stat_statements has counted (since its reset, else since the server started): calls per day come from it. */
async function callsWindowMs(client: pg.ClientBase, info: StatementsInfo | undefined): Promise<number | null> {
  if (!info) return null
  const since = info.hasInfoView
    ? (await client.query<{stats_reset: Date | null}>(query('stats/stats-reset', info).text)).rows[0]?.stats_reset
    : null
  const start =
    since ?? (await client.query<{postmaster_start: Date}>(query('stats/server-start').text)).rows[0].postmaster_start
  return Math.max(60_000, Date.now() - start.getTime())
}

/** Index name as PostgreSQL would make it (`table_col1_col2_idx`), cut to 63 bytes. */
function indexName(spec: IndexSpec): string {
  const name = `${spec.table}_${spec.columns.map((c) => c.name).join('_')}_idx`
  return Buffer.from(name)
    .subarray(0, 63)
    .toString('utf8')
    .replace(/\uFFFD+$/, '')
}

const columnText = (spec: IndexSpec) =>
  spec.columns
    .map((c) => `${c.name}${c.desc ? ' DESC' : ''}${c.nulls ? ` NULLS ${c.nulls.toUpperCase()}` : ''}`)
    .join(', ')

async function describe(
  client: pg.ClientBase,
  chosen: Map<string, Subject[]>,
  specs: Map<string, IndexSpec>,
  helps: Map<string, Map<Subject, number>>,
  sizes: Map<string, number>,
  catalog: Catalog,
  windowMs: number | null,
): Promise<Suggestion[]> {
  const keys = [...chosen.keys()]
  const named = keys.map((k) => ({...specs.get(k)!, name: indexName(specs.get(k)!)}))
  const statements = await indexStatements(client, named, true)
  const relids = keys.map(
    (k) =>
      catalog.columns
        .get(tableKey(specs.get(k)!.schema, specs.get(k)!.table))!
        .values()
        .next().value!.relid,
  )
  const writes = await tableWrites(client, [...new Set(relids)])
  const out = keys.map((key, i): Suggestion => {
    const spec = specs.get(key)!
    const subjects = chosen
      .get(key)!
      .sort((a, b) => (b.calls ?? 0) * (b.mean_ms ?? 0) - (a.calls ?? 0) * (a.mean_ms ?? 0))
    const after = (s: Subject) => helps.get(key)!.get(s)!
    const before = subjects.reduce((n, s) => n + s.base, 0)
    const costAfter = subjects.reduce((n, s) => n + after(s), 0)
    const known = subjects.every((s) => s.calls !== null && s.mean_ms !== null)
    const calls = subjects.reduce((n, s) => n + (s.calls ?? 0), 0)
    const meanBefore = known && calls > 0 ? subjects.reduce((n, s) => n + s.calls! * s.mean_ms!, 0) / calls : null
    const meanAfter =
      known && calls > 0 ? subjects.reduce((n, s) => n + s.calls! * s.mean_ms! * (after(s) / s.base), 0) / calls : null
    const perDay = (n: number) => (windowMs === null ? null : (n * DAY_MS) / windowMs)
    const saving = known
      ? perDay(subjects.reduce((n, s) => n + s.calls! * s.mean_ms! * (1 - after(s) / s.base), 0))
      : null
    const w = writes.get(relids[i])
    return {
      rank: 0,
      index_statement: statements[i],
      index_name: named[i].name,
      table_name: tableKey(spec.schema, spec.table),
      columns: columnText(spec),
      queryids: subjects.map((s) => s.queryid).filter((q): q is string => q !== null),
      statements: subjects.length,
      method: [...new Set(subjects.map((s) => s.method))].join(','),
      cost_before: before,
      cost_after: costAfter,
      saving_pct: before > 0 ? 100 * (1 - costAfter / before) : 0,
      mean_ms_before: meanBefore,
      est_mean_ms_after: meanAfter,
      saving_ms_per_day: saving,
      index_bytes: sizes.get(key) ?? null,
      writes_per_min: w?.per_minute ?? null,
      write_ms_per_day: w ? w.per_minute * 1440 * INDEX_WRITE_MS : null,
      write_window: w?.window ?? null,
      query: subjects[0].text,
      spec,
      subjects,
    }
  })
  return out.sort(
    (a, b) =>
      (b.saving_ms_per_day ?? -1) - (a.saving_ms_per_day ?? -1) ||
      b.saving_pct - a.saving_pct ||
      a.index_statement.localeCompare(b.index_statement),
  )
}
