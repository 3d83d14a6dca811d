import type pg from 'pg'
import {recordAudit, resolveActor} from '../audit/record.js'
import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {conflict, usageError} from '../errors.js'
import {findOrg, type OrgRef} from '../input/find.js'
import {change, type Change} from '../tenants/mutation.js'
import {orgRowCounts, type RowCounts} from './scope.js'

export interface PurgeOptions {
  dryRun?: boolean
  keepUsers?: boolean
  batchSize?: number
  actor?: string
  /** Set by `orgs move --delete-source`: recorded in the purge's audit row. */
  moveId?: string
  onBatch?: (table: string, deleted: number) => void
}

/** The batched steps, children before parents; tables not named here go with their parent (ON DELETE CASCADE). */
const STEPS = [
  'messages',
  'notifications',
  'conversations',
  'files',
  'projects',
  'teams',
  'organization_members',
  'security_events',
] as const

/**
 * Deletes a suspended organization and everything that belongs to it in small batches, each its
 * own short transaction (with lock_timeout), so no long lock is held on the shared tables. The
 * first run records in the organization row what it will delete; a rerun after an interruption
 * continues from there. The organization row goes last, together with the one audit row that
 * remains: counts, no personal data.
 */
export async function purgeOrg(session: Session, ref: string, options: PurgeOptions): Promise<Change[]> {
  const batch = options.batchSize ?? 1000
  const {org, counts} = await inTransaction(session, options.dryRun ? 'read' : 'write', async (client) => {
    const org = await findOrg(client, ref)
    const notSuspended = () =>
      usageError(
        `organization ${org.slug} is ${org.subscription_status}, not suspended`,
        `suspend it first (\`fluxadmin orgs suspend ${org.slug} --reason ...\`): a purge cannot be undone`,
      )
    if (org.subscription_status !== 'suspended') throw notSuspended()
    const counts = await planned(client, org.id, options.keepUsers)
    if (options.dryRun) return {org, counts}
    const {
      rows: [begun],
    } = await client.query(query('lifecycle/purge-begin').text, [org.id, JSON.stringify(counts)])
    if (!begun) throw notSuspended()
    return {org, counts: begun.purge.counts as RowCounts}
  })
  const summary = (users: number) => [
    ...Object.entries(counts)
      .filter(([t]) => t !== 'users')
      .map(([t, n]) => change('delete', t, null, org.slug, 'rows', n, 0)),
    change('delete', 'users', null, org.slug, 'rows', users, 0),
  ]
  if (options.dryRun) return summary(counts.users)
  for (const table of STEPS) {
    const onBatch = (n: number) => options.onBatch?.(table, n)
    await (table === 'security_events'
      ? drainSecurityEvents(session, org.id, batch, onBatch)
      : drain(session, `lifecycle/purge-${table}`, org.id, batch, onBatch))
  }
  if (!options.keepUsers)
    await drain(session, 'lifecycle/purge-users', org.id, batch, (n) => options.onBatch?.('users', n))
  return summary(await finish(session, org, options))
}

async function planned(client: pg.ClientBase, orgId: string, keepUsers?: boolean): Promise<RowCounts> {
  const counts = await orgRowCounts(client, orgId)
  return keepUsers ? {...counts, users: 0} : counts
}

/** Runs one batch statement, each batch its own transaction, until it deletes nothing. */
async function drain(
  session: Session,
  statement: string,
  orgId: string,
  batch: number,
  onBatch: (deleted: number) => void,
): Promise<void> {
  for (let total = 0; ;) {
    const deleted = await inTransaction(
      session,
      'write',
      async (client) => (await client.query(query(statement).text, [orgId, batch])).rowCount ?? 0,
    )
    if (deleted === 0) return
    total += deleted
    onBatch(total)
  }
}

const FIRST_TID = '(0,0)'

/**
 * Security events name their organization only in metadata: each batch goes on after the last
 * row the previous one deleted, in physical order, and when a pass finds nothing more a pass from
 * the start takes what was written behind it meanwhile (it usually finds nothing).
 */
async function drainSecurityEvents(
  session: Session,
  orgId: string,
  batch: number,
  onBatch: (deleted: number) => void,
): Promise<void> {
  let after = FIRST_TID
  for (let total = 0; ;) {
    const {deleted, last} = await inTransaction(
      session,
      'write',
      async (client) =>
        (await client.query(query('lifecycle/purge-security_events').text, [orgId, batch, after])).rows[0],
    )
    if (Number(deleted) > 0) {
      total += Number(deleted)
      onBatch(total)
      after = last
    } else if (after === FIRST_TID) {
      return
    } else {
      after = FIRST_TID
    }
  }
}

/** Deletes the organization row and writes the audit row; returns how many of its former members are gone (over every run). */
async function finish(session: Session, org: OrgRef, options: PurgeOptions): Promise<number> {
  return inTransaction(session, 'write', async (client) => {
    const left = Object.entries(await planned(client, org.id, true)).filter(([, n]) => n > 0)
    if (left.length) {
      throw conflict(
        `${org.slug} still has rows after the purge: ${left.map(([t, n]) => `${n} ${t}`).join(', ')}`,
        'rows of other organizations refer to them (a reply, a newer file version, a project template); remove those references and rerun',
      )
    }
    const {
      rows: [{purge, users_deleted: usersDeleted}],
    } = await client.query(query('lifecycle/purge-finish').text, [org.id])
    await recordAudit(client, {
      eventType: 'admin.org.purged',
      severity: 'warning',
      actor: resolveActor(options.actor),
      description: `purged organization ${org.slug}`,
      metadata: {
        org_id: org.id,
        move_id: options.moveId ?? null,
        started_at: purge.started_at,
        keep_users: Boolean(options.keepUsers),
        rows: {...purge.counts, users: usersDeleted},
        users_considered: purge.users.length,
      },
    })
    return usersDeleted
  })
}
