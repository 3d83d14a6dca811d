import type pg from 'pg'
import {query} from '../db/queries.js'
import {usageError} from '../errors.js'
import {requireCitus, type Layout} from '../schema/citus-layout.js'
import {clusterNodes, workersOf, type CitusNode} from './nodes.js'

/** Where one organization's rows live on a distributed database. */
export interface OrgPlacement {
  organization_id: string
  shard_id: number
  nodeid: number
  node: string
  isolated: boolean
}

export const PLACEMENT_COLUMNS = ['node', 'shard_id', 'isolated']

/** The layout of a distributed FluxStudio database; exit 2 naming what is missing otherwise (no Citus, no workers, not distributed). */
export async function requireDistributed(
  client: pg.ClientBase,
  command: string,
): Promise<Extract<Layout, {kind: 'citus'}>> {
  const layout = await requireCitus(client, command)
  if (!layout.distributed)
    throw usageError(
      `${command} needs the distributed layout: this Citus coordinator's tables are not distributed yet`,
      'run `fluxadmin db distribute` first',
    )
  return layout
}

/** The placement of each organization, by id (organizations without tenant rows have one too: their hash's shard). */
export async function orgPlacements(client: pg.ClientBase, ids: string[]): Promise<Map<string, OrgPlacement>> {
  const {rows} = await client.query<OrgPlacement>(query('citus/org-placements').text, [ids])
  return new Map(rows.map((r) => [r.organization_id, r]))
}

/** The active worker at `host:port`; one not among them is a usage error that lists them. */
export async function findWorker(client: pg.ClientBase, hostPort: string, flag: string): Promise<CitusNode> {
  const workers = workersOf(await clusterNodes(client))
  const found = workers.find((w) => w.node === hostPort.trim())
  if (!found)
    throw usageError(
      `${flag} ${hostPort}: no such active worker in this Citus cluster`,
      `workers: ${workers.map((w) => w.node).join(', ')} (fluxadmin cluster status)`,
    )
  return found
}
