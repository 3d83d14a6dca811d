import type pg from 'pg'
import {mapDbError, unreachableNode} from '../db/errors.js'
import {query} from '../db/queries.js'
import {describeTarget, type Target} from '../db/resolve.js'
import {openSession, type Session} from '../db/session.js'

/** An active primary node of a Citus cluster, as the coordinator reaches it (pg_dist_node). */
export interface CitusNode {
  nodeid: number
  /** `host:port` */
  node: string
  host: string
  port: number
  role: 'coordinator' | 'worker'
}

/** `worker 10.0.0.7:5432` */
export const nodeLabel = (n: CitusNode) => `${n.role} ${n.node}`

/** The active nodes, coordinator first, of the Citus cluster this client's database is in; [] on plain PostgreSQL. */
export async function clusterNodes(client: pg.ClientBase): Promise<CitusNode[]> {
  const {rowCount} = await client.query(query('citus/extension').text)
  if (!rowCount) return []
  return (await client.query<CitusNode>(query('citus/nodes').text)).rows
}

/** The workers of that cluster (the nodes that hold shards besides the coordinator). */
export const workersOf = (nodes: CitusNode[]) => nodes.filter((n) => n.role === 'worker')

/**
 * The same database, user and credentials as `target`, on another node: Citus itself connects to its workers as
 * the user of the session, so the operator's role and password are the ones the workers know.
 */
export function nodeTarget(target: Target, node: CitusNode): Target {
  return {
    ...target,
    host: node.host,
    port: node.port,
    config: {...target.config, host: node.host, port: node.port},
    others: [],
  }
}

/** A session on `node` with the settings of `session`, that sees the shards there; a node that cannot be reached is one line naming it (exit 3). */
export async function openNodeSession(session: Session, node: CitusNode): Promise<Session> {
  const target = nodeTarget(session.target, node)
  let opened: Session
  try {
    opened = await openSession(target, session.settings)
  } catch (error) {
    throw mapDbError(error, {target: describeTarget(target), database: target.database, user: target.user})
  }
  // Statistics of the shards themselves: the tables that hold the rows there.
  await opened.client.query(query('citus/show-shards').text, [false])
  return opened
}

/** Refuses to go on when an active node cannot be reached from the coordinator: the first of them, named (exit 3). */
export async function requireReachable(client: pg.ClientBase, coordinator: string): Promise<void> {
  const {
    rows: [down],
  } = await client.query<{node: string}>(query('citus/unreachable-nodes').text)
  if (down) throw unreachableNode(down.node, ` at ${coordinator}`)
}

/**
 * Whether a command reads every node (a Citus coordinator with workers) rather than this server alone; on Citus,
 * a node the coordinator cannot reach is one line naming it (exit 3) instead of a view that silently leaves it out.
 */
export async function acrossNodes(client: pg.ClientBase, session: Session): Promise<boolean> {
  if (workersOf(await clusterNodes(client)).length === 0) return false
  await requireReachable(client, describeTarget(session.target))
  return true
}
