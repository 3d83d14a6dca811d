import type pg from 'pg'
import {recordAudit} from '../audit/record.js'
import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {findOrg, type OrgRef} from '../input/find.js'
import {orgPlacements, requireDistributed, type OrgPlacement} from './placement.js'

export const TRANSFER_MODES = ['force_logical', 'auto', 'block_writes'] as const
export type TransferMode = (typeof TRANSFER_MODES)[number]

export interface IsolateOptions {
  dryRun?: boolean
  actor?: string
  transferMode: TransferMode
}

export interface IsolateResult {
  status: 'isolated' | 'already isolated' | 'planned'
  organization: string
  node: string
  shard_before: number
  shard_after: number | null
}

/**
 * Puts an organization on shards of its own in every co-located tenant table (isolate_tenant_to_new_shard with
 * CASCADE), on the node that holds it, with its audit row in the same transaction: interrupted, nothing changed
 * (Citus drops the half-made shards, citus_cleanup_orphaned_resources). An isolated organization is left as it is.
 */
export async function isolateOrg(session: Session, ref: string, options: IsolateOptions): Promise<IsolateResult> {
  return inTransaction(session, 'write', async (client, tx) => {
    await requireDistributed(client, 'orgs isolate')
    const org = await findOrg(client, ref)
    const before = await placementOf(client, org)
    const result = {organization: org.slug, node: before.node, shard_before: before.shard_id, shard_after: null}
    if (before.isolated) return {...result, status: 'already isolated', shard_after: before.shard_id}
    if (options.dryRun) {
      tx.rollbackOnly()
      return {...result, status: 'planned'}
    }
    return {...result, status: 'isolated', shard_after: await isolateInTransaction(client, org, before, options)}
  })
}

/** The isolation and its audit row, in the caller's transaction (isolate_tenant_to_new_shard must come first in it). */
export async function isolateInTransaction(
  client: pg.ClientBase,
  org: OrgRef,
  before: OrgPlacement,
  options: Omit<IsolateOptions, 'dryRun'>,
): Promise<number> {
  const {
    rows: [{shard_id}],
  } = await client.query<{shard_id: string}>(query('citus/isolate-tenant').text, [org.id, options.transferMode])
  await recordAudit(client, {
    eventType: 'admin.org.isolated',
    severity: 'warning',
    actor: options.actor,
    description: `isolated organization ${org.slug} on shards of its own on ${before.node}`,
    metadata: {
      org_id: org.id,
      node: before.node,
      shard_before: before.shard_id,
      shard_after: shard_id,
      transfer_mode: options.transferMode,
    },
  })
  return Number(shard_id)
}

export async function placementOf(client: pg.ClientBase, org: OrgRef): Promise<OrgPlacement> {
  return (await orgPlacements(client, [org.id])).get(org.id)!
}
