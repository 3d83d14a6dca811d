import type pg from 'pg'
import {hasQuery, query, type SqlQuery} from '../db/queries.js'
import {usageError} from '../errors.js'
import {TENANT_TABLES, REFERENCE_TABLES} from './citus-contract.js'

/** How a FluxStudio database is laid out: one PostgreSQL, or a Citus coordinator (distributed or not yet). */
export type Layout =
  | {kind: 'single'}
  | {kind: 'citus'; version: string; workers: number; workerNodes: string[]; distributed: boolean; shardCount: number}

/** The layout of the database the client is connected to (two catalog reads on Citus, one otherwise). */
export async function databaseLayout(client: pg.ClientBase): Promise<Layout> {
  const {
    rows: [ext],
  } = await client.query<{extversion: string}>(query('citus/extension').text)
  if (!ext) return {kind: 'single'}
  const {
    rows: [l],
  } = await client.query<{
    workers: number
    worker_nodes: string[]
    distributed: string[]
    reference: string[]
    shard_count: number
  }>(query('citus/layout').text)
  const distributed =
    TENANT_TABLES.every((t) => l.distributed.includes(t)) && REFERENCE_TABLES.every((t) => l.reference.includes(t))
  return {
    kind: 'citus',
    version: ext.extversion,
    workers: l.workers,
    workerNodes: l.worker_nodes,
    distributed,
    shardCount: l.shard_count,
  }
}

/** One line for `db status` and the README: `single node` or `Citus 13.2-1, 2 workers, 32 shards`. */
export function describeLayout(layout: Layout): string {
  if (layout.kind === 'single') return 'layout: single node'
  const workers = `${layout.workers} worker${layout.workers === 1 ? '' : 's'}`
  return layout.distributed
    ? `layout: Citus ${layout.version}, distributed over ${workers}, ${layout.shardCount} shards per tenant table`
    : `layout: Citus ${layout.version} coordinator with ${workers}, not distributed yet (fluxadmin db distribute)`
}

/** The layout of a Citus coordinator with workers; on plain PostgreSQL or without workers, one line that says what is missing (exit 2). */
export async function requireCitus(client: pg.ClientBase, command: string): Promise<Extract<Layout, {kind: 'citus'}>> {
  const layout = await databaseLayout(client)
  if (layout.kind === 'single') {
    throw usageError(
      `${command} needs Citus: this database has no citus extension`,
      'on a Citus coordinator (shared_preload_libraries = citus): CREATE EXTENSION citus, then SELECT citus_add_node(host, port) for each worker',
    )
  }
  if (layout.workers === 0) {
    throw usageError(
      `${command} needs Citus workers: this coordinator has none`,
      "add them first: SELECT citus_set_coordinator_host('coordinator-host', port); SELECT citus_add_node('worker-host', port)",
    )
  }
  return layout
}

/**
 * `<topic>/<name>`, or on a distributed database its Citus form `<topic>-citus/<name>` when there is one: the same
 * parameters and columns, written so that Citus can plan it (joins between tenant tables on organization_id).
 * The layout is read only for a query that has a Citus form.
 */
export async function layoutQuery(client: pg.ClientBase, name: string): Promise<SqlQuery> {
  const [topic, ...rest] = name.split('/')
  const citus = `${topic}-citus/${rest.join('/')}`
  if (!hasQuery(citus)) return query(name)
  const layout = await databaseLayout(client)
  return query(layout.kind === 'citus' && layout.distributed ? citus : name)
}
