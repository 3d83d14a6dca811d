import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {requireCitus} from '../schema/citus-layout.js'

export interface NodeStatus {
  nodeid: number
  node: string
  role: string
  active: boolean
  should_have_shards: boolean
  reachable: boolean
  version: string | null
  shards: number
  bytes: number | null
  distributed_bytes: number | null
  error: string | null
}

export interface ColocationGroup {
  colocation_id: number
  kind: string
  shard_count: number
  tables: string[]
  nodes: number
}

/** How evenly the distributed shards' bytes lie over the workers that hold shards: spread = (max - min) / mean. */
export interface Balance {
  workers: number
  min_bytes: number | null
  max_bytes: number | null
  mean_bytes: number | null
  spread_pct: number | null
}

export interface ClusterStatus {
  nodes: NodeStatus[]
  colocation_groups: ColocationGroup[]
  balance: Balance
  unreachable: string[]
}

export const NODE_COLUMNS = [
  'node',
  'role',
  'reachable',
  'version',
  'shards',
  'bytes',
  'distributed_bytes',
  'should_have_shards',
  'active',
  'error',
]

/** A node that does not answer within this long counts as unreachable (Citus waits 30 s by default). */
const CONNECT_TIMEOUT = '5s'

/** Every node (each asked for its own version and bytes), the co-location groups and the balance of the workers. */
export async function clusterStatus(session: Session): Promise<ClusterStatus> {
  return inTransaction(session, 'read', async (client) => {
    await requireCitus(client, 'cluster status')
    await client.query(query('citus/node-connection-timeout').text, [CONNECT_TIMEOUT])
    const nodes = (await client.query<NodeStatus>(query('citus/node-status').text)).rows.map((n) => ({
      ...n,
      bytes: n.bytes === null ? null : Number(n.bytes),
      distributed_bytes: n.distributed_bytes === null ? null : Number(n.distributed_bytes),
    }))
    const groups = (await client.query<ColocationGroup>(query('citus/colocation-groups').text)).rows
    return {
      nodes,
      colocation_groups: groups,
      balance: balanceOf(nodes),
      unreachable: nodes.filter((n) => n.active && !n.reachable).map((n) => n.node),
    }
  })
}

export function balanceOf(nodes: NodeStatus[]): Balance {
  const holders = nodes.filter((n) => n.role === 'worker' && n.active && n.should_have_shards)
  const bytes = holders.map((n) => n.distributed_bytes)
  if (bytes.length === 0 || bytes.some((b) => b === null))
    return {workers: holders.length, min_bytes: null, max_bytes: null, mean_bytes: null, spread_pct: null}
  const known = bytes as number[]
  const min = Math.min(...known)
  const max = Math.max(...known)
  const mean = known.reduce((a, b) => a + b, 0) / known.length
  return {
    workers: holders.length,
    min_bytes: min,
    max_bytes: max,
    mean_bytes: Math.round(mean),
    spread_pct: mean > 0 ? Math.round((1000 * (max - min)) / mean) / 10 : 0,
  }
}
