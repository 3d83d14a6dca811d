import type pg from 'pg'
import {query, SQL_TAG, type ServerVersion} from '../db/queries.js'
import {usageError} from '../errors.js'
import {countParams} from '../stats/explain.js'
import type {StatementsInfo} from '../stats/extension.js'
import {explainGeneric, explainWith, indexesUsed, planNodes, type PlanNode} from '../stats/plans.js'
import {checkStatementText, isPlannable, PLANNABLE_PATTERN} from '../stats/statement-text.js'
import {sampleParamSets} from './params.js'
import {planFacts, type PlanFacts} from './predicates.js'

/**
 * How a statement's cost is measured: `plain` (no parameters), `generic_plan` / `prepared_generic` (the
 * generic plan, 16+ / before), `mcv` (custom plans with values from pg_stats' most common values and histogram,
 * where the generic plan's row estimates are more than MISLEADING times off theirs).
 */
export type CostMethod = 'plain' | 'generic_plan' | 'prepared_generic' | 'mcv'

export const MISLEADING = 2
/** Parameter sets a custom-plan cost averages over. */
const MCV_SETS = 3

/** A statement advice is worked out for. */
export interface Subject {
  /** null for --query. */
  queryid: string | null
  text: string
  /** From pg_stat_statements (null for --query). */
  calls: number | null
  mean_ms: number | null
  params: number
  facts: PlanFacts
  method: CostMethod
  /** Parameter values of the custom plans (method mcv). */
  sets?: Array<Array<string | null>>
  /** Cost without any new index. */
  base: number
  /** `schema.table` of every table it reads. */
  tables: Set<string>
}

export interface Evaluation {
  cost: number
  /** Rows the plan's nodes expect, summed: how much work the planner thinks there is. */
  rows: number
  indexes: string[]
}

const planRows = (plan: PlanNode) => [...planNodes(plan)].reduce((n, node) => n + Number(node['Plan Rows'] ?? 0), 0)

/** The statement's cost and the indexes its plan reads, by its method (inside a savepoint of the caller's transaction). */
export async function evaluate(
  client: pg.ClientBase,
  server: ServerVersion,
  subject: Pick<Subject, 'text' | 'method' | 'sets'>,
): Promise<Evaluation> {
  if (subject.method !== 'mcv') {
    const {plan} = await explainGeneric(client, server, subject.text, {format: 'json', genericForced: true})
    return {
      cost: Number((plan as PlanNode)['Total Cost']),
      rows: planRows(plan as PlanNode),
      indexes: indexesUsed(plan as PlanNode),
    }
  }
  let cost = 0
  let rows = 0
  const indexes = new Set<string>()
  for (const set of subject.sets!) {
    const {plan} = await explainWith(client, subject.text, set, {format: 'json'})
    cost += Number((plan as PlanNode)['Total Cost'])
    rows += planRows(plan as PlanNode)
    for (const name of indexesUsed(plan as PlanNode)) indexes.add(name)
  }
  return {cost: cost / subject.sets!.length, rows: rows / subject.sets!.length, indexes: [...indexes]}
}

export interface Selection {
  minCalls: number
  minTotalMs: number
  queryid?: string
  query?: string
  limit: number
}

interface StatementRow {
  queryid: string
  query: string
  calls: number
  total_ms: number
  mean_ms: number
}

/** The statements to advise on: `--query`, `--queryid`, or this database's top ones by total time (exit 2 for a queryid not there). */
export async function selectStatements(
  client: pg.ClientBase,
  info: StatementsInfo | undefined,
  selection: Selection,
): Promise<StatementRow[]> {
  if (selection.query !== undefined)
    return [
      {
        queryid: null as never,
        query: checkStatementText(selection.query, '--query'),
        calls: null as never,
        total_ms: null as never,
        mean_ms: null as never,
      },
    ]
  const {rows} = await client.query<StatementRow>(query('advise/statements').text, [
    selection.minCalls,
    selection.minTotalMs,
    selection.queryid ?? null,
    selection.limit,
    SQL_TAG,
    PLANNABLE_PATTERN,
  ])
  if (selection.queryid !== undefined && rows.length === 0) {
    const {
      rows: [elsewhere],
    } = await client.query<{db_name: string}>(query('stats/statement-text', info).text, [selection.queryid])
    throw usageError(
      elsewhere
        ? `statement ${selection.queryid} ran in database "${elsewhere.db_name}", not this one`
        : `no statement with queryid ${selection.queryid} in pg_stat_statements`,
      elsewhere ? `connect to "${elsewhere.db_name}" to advise on it` : 'find one with `fluxadmin stats top`',
    )
  }
  if (selection.queryid !== undefined && !isPlannable(rows[0].query))
    throw usageError(
      `statement ${selection.queryid} is not one the planner plans (${rows[0].query.slice(0, 40)}...)`,
      'indexes are advised for SELECT, INSERT, UPDATE and DELETE statements',
    )
  return rows.filter((r) => isPlannable(r.query))
}

/**
 * What a statement needs, from its generic VERBOSE plan with index scans turned off: then every predicate is a
 * filter and every ORDER BY a Sort node, whatever indexes exist (an existing index may hide a sort otherwise).
 */
async function neededFacts(client: pg.ClientBase, server: ServerVersion, text: string): Promise<PlanFacts> {
  const {
    rows: [previous],
  } = await client.query<{enable_indexscan: string; enable_indexonlyscan: string; enable_bitmapscan: string}>(
    query('advise/scan-settings').text,
  )
  const set = query('advise/set-scan-settings').text
  await client.query(set, ['off', 'off', 'off'])
  try {
    return planFacts((await explainGeneric(client, server, text, {format: 'json', verbose: true})).plan as PlanNode)
  } finally {
    await client.query(set, [previous.enable_indexscan, previous.enable_indexonlyscan, previous.enable_bitmapscan])
  }
}

/**
 * Plans a statement and picks how its cost is measured: its generic plan, or custom plans with values from
 * pg_stats where the generic plan's row estimates are more than MISLEADING times off theirs (LIMIT $1 is planned
 * as a tenth of the rows, a range as a third).
 */
export async function prepareSubject(
  client: pg.ClientBase,
  server: ServerVersion,
  row: StatementRow,
): Promise<Subject> {
  const facts = await neededFacts(client, server, row.query)
  const generic = await explainGeneric(client, server, row.query, {format: 'json'})
  const plan = generic.plan as PlanNode
  const params = countParams(row.query)
  const subject: Subject = {
    queryid: row.queryid === null ? null : String(row.queryid),
    text: row.query,
    calls: row.calls === null ? null : Number(row.calls),
    mean_ms: row.mean_ms,
    params,
    facts,
    method: generic.method as CostMethod,
    base: Number(plan['Total Cost']),
    tables: new Set(facts.relations.map((r) => `${r.schema}.${r.table}`)),
  }
  if (params === 0) return subject
  const sampled = await sampleParamSets(client, row.query, facts, params, MCV_SETS)
  if (!('sets' in sampled)) return subject
  const custom = await evaluate(client, server, {text: row.query, method: 'mcv', sets: sampled.sets}).catch(
    () => undefined,
  )
  const rows = planRows(plan)
  if (!custom || !(custom.cost > 0) || !(custom.rows > 0) || !(rows > 0)) return subject
  const ratio = custom.rows / rows
  if (ratio > MISLEADING || ratio < 1 / MISLEADING)
    return {...subject, method: 'mcv', sets: sampled.sets, base: custom.cost}
  return subject
}
