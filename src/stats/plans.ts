import type pg from 'pg'
import {query, SQL_TAG} from '../db/queries.js'
import {withSavepoint} from '../db/transaction.js'
import {countParams} from './explain.js'

/**
 * How a plan was made: `plain` (no parameters), `generic_plan` (EXPLAIN (GENERIC_PLAN), PostgreSQL 16+),
 * `prepared_generic` (PREPARE, then EXPLAIN EXECUTE under plan_cache_mode = force_generic_plan, before 16),
 * `custom` (planned with given parameter values).
 */
export type PlanMethod = 'plain' | 'generic_plan' | 'prepared_generic' | 'custom'

export interface ExplainOptions {
  verbose?: boolean
  /** false: COSTS OFF (the shape only, for hashing). */
  costs?: boolean
  format: 'json' | 'text'
  /** The caller already set plan_cache_mode = force_generic_plan for its transaction (saves two round trips a plan). */
  genericForced?: boolean
}

/** What EXPLAIN (FORMAT JSON) returns for one statement: the top plan node and its children. */
export interface PlanNode {
  'Node Type': string
  'Total Cost'?: number
  Plans?: PlanNode[]
  [key: string]: unknown
}

export interface Explained {
  /** The top node (json), or the plan's lines (text). */
  plan: PlanNode | string[]
  method: PlanMethod
}

const PREPARED = 'fluxadmin_plan'

/** The EXPLAIN option list: fixed words only (the statement text is never part of it). */
function explainPrefix(options: ExplainOptions, extra: string[] = []): string {
  const words = [
    `FORMAT ${options.format === 'json' ? 'JSON' : 'TEXT'}`,
    ...(options.verbose ? ['VERBOSE'] : []),
    ...(options.costs === false ? ['COSTS OFF'] : []),
    ...extra,
  ]
  return `${SQL_TAG} EXPLAIN (${words.join(', ')})`
}

function planOf(rows: Array<{'QUERY PLAN': unknown}>, format: ExplainOptions['format']): PlanNode | string[] {
  if (format === 'text') return rows.map((r) => String(r['QUERY PLAN']))
  return (rows[0]['QUERY PLAN'] as Array<{Plan: PlanNode}>)[0].Plan
}

/**
 * The generic plan of a statement (the one a prepared statement gets whatever its parameters), without
 * running it. The text is the server's own normalized statement or one checked by checkStatementText
 * (src/advise/statement-text.ts); it always goes as one extended-protocol statement, so a second
 * statement in it is refused by the server. Runs in the caller's transaction, inside a savepoint.
 */
export async function explainGeneric(
  client: pg.ClientBase,
  server: {versionNum: number},
  text: string,
  options: ExplainOptions,
): Promise<Explained> {
  const params = countParams(text)
  const run = (sql: string, values: unknown[]) =>
    client.query<{'QUERY PLAN': unknown}>({text: sql, values, queryMode: 'extended'} as never)
  if (params === 0)
    return {
      plan: planOf(
        (await withSavepoint(client, () => run(`${explainPrefix(options)} ${text}`, []))).rows,
        options.format,
      ),
      method: 'plain',
    }
  // GENERIC_PLAN plans without values; the protocol still wants one (ignored) per parameter.
  if (server.versionNum >= 160000) {
    const {rows} = await withSavepoint(client, () =>
      run(`${explainPrefix(options, ['GENERIC_PLAN'])} ${text}`, Array(params).fill(null)),
    )
    return {plan: planOf(rows, options.format), method: 'generic_plan'}
  }
  let prepared = false
  try {
    return await withSavepoint(client, async () => {
      await run(`${SQL_TAG} PREPARE ${PREPARED} AS ${text}`, [])
      prepared = true
      const previous = options.genericForced
        ? undefined
        : (await client.query<{previous: string}>(query('advise/set-plan-cache-mode').text, ['force_generic_plan']))
            .rows[0].previous
      const {rows} = await run(
        `${explainPrefix(options)} EXECUTE ${PREPARED}(${Array(params).fill('NULL').join(', ')})`,
        [],
      )
      if (previous !== undefined) await client.query(query('advise/set-plan-cache-mode').text, [previous])
      return {plan: planOf(rows, options.format), method: 'prepared_generic' as const}
    })
  } finally {
    // A prepared statement outlives a rolled-back savepoint: always forget it.
    if (prepared) await client.query(`${SQL_TAG} DEALLOCATE ${PREPARED}`)
  }
}

/** The plan for given parameter values (a custom plan), without running the statement. */
export async function explainWith(
  client: pg.ClientBase,
  text: string,
  values: unknown[],
  options: ExplainOptions,
): Promise<Explained> {
  const {rows} = await withSavepoint(client, () =>
    client.query<{'QUERY PLAN': unknown}>({
      text: `${explainPrefix(options)} ${text}`,
      values,
      queryMode: 'extended',
    } as never),
  )
  return {plan: planOf(rows, options.format), method: 'custom'}
}

/** Every node of a plan, depth first (subplans and init plans are children too). */
export function* planNodes(node: PlanNode): Generator<PlanNode> {
  yield node
  for (const child of node.Plans ?? []) yield* planNodes(child)
}

/** Names of the indexes a plan reads (index, index-only and bitmap index scans). */
export function indexesUsed(node: PlanNode): string[] {
  return [
    ...new Set(
      [...planNodes(node)].map((n) => n['Index Name']).filter((name): name is string => typeof name === 'string'),
    ),
  ]
}
