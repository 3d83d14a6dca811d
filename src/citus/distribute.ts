import type pg from 'pg'
import {recordAudit} from '../audit/record.js'
import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {FluxError, usageError} from '../errors.js'
import {migrationFiles} from '../schema/files.js'
import {appliedMigrations, lockSchema} from '../schema/migrate.js'
import {describeLayout, requireCitus} from '../schema/citus-layout.js'
import {buildPlan, type PlanStep} from './plan.js'
import {compareCounts, countRows, type Proof} from './proof.js'

export interface DistributeOptions {
  dryRun?: boolean
  shardCount: number
  actor?: string
  onWait?: () => void
  /** Called before each statement runs. */
  onStep?: (step: PlanStep, total: number) => void
}

export type DistributeResult =
  | {status: 'already distributed'; layout: string}
  | {status: 'planned'; layout: string; steps: PlanStep[]}
  | {status: 'distributed'; layout: string; statements: number; proof: Proof}

/** How many rows a refusal lists (their count is always given). */
const LISTED = 10

/**
 * Turns a migrated single-node FluxStudio database on a Citus coordinator into the distributed layout
 * (src/citus/contract.ts), in one transaction under the schema lock: interrupted at any point it leaves the
 * database as it was, and a rerun starts again. It commits only when every table's and every organization's
 * row counts are the same after as before; a second run finds the layout and changes nothing.
 */
export async function distribute(session: Session, options: DistributeOptions): Promise<DistributeResult> {
  const pre = await inTransaction(session, 'read', (client) => requireCitus(client, 'db distribute'))
  if (pre.distributed) return {status: 'already distributed', layout: describeLayout(pre)}
  // Two-phase commits an interrupted run left prepared on the workers would hold their locks for a minute.
  if (!options.dryRun) await session.client.query(query('citus/recover-prepared-transactions').text)
  return inTransaction(session, 'write', async (client, tx) => {
    await lockSchema(client, session, options.onWait)
    const layout = await requireCitus(client, 'db distribute')
    if (layout.distributed) return {status: 'already distributed', layout: describeLayout(layout)}
    await assertMigrated(client)
    await refuseUnplaceable(client)
    // First, so that the proof's counts include the audit row: it is in this transaction's security_events too.
    await recordAudit(client, {
      eventType: 'admin.db.distributed',
      severity: 'warning',
      actor: options.actor,
      description: `distributed the FluxStudio schema over ${layout.workers} Citus workers (${options.shardCount} shards per tenant table)`,
      metadata: {workers: layout.workerNodes, shard_count: options.shardCount},
    })
    const before = await countRows(client, 'single')
    const steps = await buildPlan(client, before.tables, options.shardCount)
    const after = describeLayout({...layout, distributed: true, shardCount: options.shardCount})
    if (options.dryRun) {
      tx.rollbackOnly()
      return {status: 'planned', layout: after, steps}
    }
    await client.query(query('citus/distribute-settings').text)
    for (const step of steps) {
      options.onStep?.(step, steps.length)
      await client.query(step.statement)
    }
    const proof = compareCounts(before, await countRows(client, 'distributed'))
    if (!proof.equal) {
      const differ = proof.tables
        .filter((t) => !t.equal)
        .map((t) => t.table_name)
        .join(', ')
      throw new FluxError(
        `db distribute: row counts differ after distributing (${differ}): rolled back, nothing changed`,
        {kind: 'failed', hint: 'this is a bug in fluxadmin; rerun with --debug and report it'},
      )
    }
    return {status: 'distributed', layout: after, statements: steps.length, proof}
  })
}

async function assertMigrated(client: pg.ClientBase): Promise<void> {
  const applied = new Set((await appliedMigrations(client)).map((m) => m.version))
  const pending = migrationFiles().filter((f) => !applied.has(f.version))
  if (pending.length > 0) {
    throw usageError(
      `db distribute needs the migrated schema: ${pending.length} migration${pending.length === 1 ? '' : 's'} pending (${pending.map((f) => `${f.version}_${f.name}`).join(', ')})`,
      'run `fluxadmin db migrate` first',
    )
  }
}

/** Rows Citus could not place, listed: tenant rows without an organization, references that cross organizations. */
async function refuseUnplaceable(client: pg.ClientBase): Promise<void> {
  const {rows: nulls} = await client.query<{table_name: string; id: string; detail: string}>(
    query('citus/null-organizations').text,
  )
  if (nulls.length > 0) {
    throw usageError(
      `db distribute: ${nulls.length} row${nulls.length === 1 ? '' : 's'} without an organization (organization_id IS NULL), nothing changed: ${list(
        nulls.map((r) => `${r.table_name} ${r.id}: ${r.detail}`),
        nulls.length,
      )}`,
      'every tenant row needs its organization on Citus: set organization_id on these rows (or delete them), then run db distribute again',
    )
  }
  const {rows: crossing} = await client.query<{constraint_name: string; detail: string}>(
    query('citus/cross-organization-references').text,
  )
  if (crossing.length > 0) {
    throw usageError(
      `db distribute: ${crossing.length} reference${crossing.length === 1 ? '' : 's'} between organizations, nothing changed: ${list(
        crossing.map((r) => `${r.constraint_name}: ${r.detail}`),
        crossing.length,
      )}`,
      'on Citus a foreign key between tenant tables stays within one organization: point these rows at rows of their own organization (or clear the reference), then run db distribute again',
    )
  }
}

const list = (items: string[], total: number) =>
  items.slice(0, LISTED).join('; ') + (total > LISTED ? `; and ${total - LISTED} more` : '')
