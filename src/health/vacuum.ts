import type pg from 'pg'
import {acrossNodes, clusterNodes, openNodeSession, workersOf} from '../citus/nodes.js'
import {query} from '../db/queries.js'
import {redactQueries} from '../db/redact.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import type {VacuumSort, VacuumStatusRow} from './types.js'
import {rollUpShards, type Placement} from './vacuum-rollup.js'

export type {VacuumSort, VacuumStatusRow}
export const VACUUM_SORTS: VacuumSort[] = ['dead', 'last-vacuum', 'name']

/**
 * Per-table vacuum statistics and whether autovacuum is due, from effective (reloptions-aware) thresholds. On a
 * Citus coordinator with workers, each distributed or reference table is its shards on every node, rolled up
 * (src/health/vacuum-rollup.ts; `shards` says how many); a node that cannot be reached is named (exit 3).
 */
export async function vacuumStatus(
  session: Session,
  options: {sort?: VacuumSort; table?: string} = {},
): Promise<Array<VacuumStatusRow & {shards?: number | null}>> {
  const read = (client: pg.ClientBase, sort: VacuumSort, table: string | null) =>
    client.query<VacuumStatusRow>(query('vacuum/status').text, [sort, table]).then((r) => r.rows)
  const here = await inTransaction(session, 'diagnostic', async (client) => {
    if (!(await acrossNodes(client, session)))
      return {rows: await read(client, options.sort ?? 'name', options.table ?? null)}
    const nodes = await clusterNodes(client)
    const placements = (await client.query<Placement>(query('citus/shard-placements').text)).rows
    // The coordinator holds a placement of every reference table.
    await client.query(query('citus/show-shards').text, [true])
    return {rows: await read(client, 'name', null), nodes, placements}
  })
  if (!here.nodes) return here.rows
  const byNode = new Map<string, VacuumStatusRow[]>([[here.nodes[0].node, here.rows]])
  for (const node of workersOf(here.nodes)) {
    const worker = await openNodeSession(session, node)
    try {
      byNode.set(node.node, await inTransaction(worker, 'diagnostic', (client) => read(client, 'name', null)))
    } finally {
      await worker.close()
    }
  }
  return rollUpShards(here.rows, byNode, here.placements, options)
}

/** Vacuums running now, from pg_stat_progress_vacuum. */
export async function vacuumProgress(session: Session): Promise<object[]> {
  return inTransaction(session, 'diagnostic', async (client) =>
    redactQueries((await client.query(query('vacuum/progress', session.server).text)).rows),
  )
}

/** xid and multixact ages per database and for the oldest tables of the current database. */
export async function wraparoundAges(session: Session, options: {tables?: number} = {}): Promise<object[]> {
  return inTransaction(
    session,
    'diagnostic',
    async (client) => (await client.query(query('vacuum/wraparound').text, [options.tables ?? 10])).rows,
  )
}

export interface BloatRow {
  object_type: 'table' | 'index'
  table_name: string
  index_name: string | null
  bloat_ratio: number
  actual_bytes: number
  wasted_bytes: number
  wasted: string
}

/** Statistics-based table and index bloat estimate, largest waste first. */
export async function bloatEstimates(
  session: Session,
  options: {minWastedBytes?: number; limit?: number} = {},
): Promise<BloatRow[]> {
  return inTransaction(
    session,
    'diagnostic',
    async (client) =>
      (await client.query<BloatRow>(query('vacuum/bloat').text, [options.minWastedBytes ?? 0, options.limit ?? 50]))
        .rows,
  )
}
