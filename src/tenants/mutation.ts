import type pg from 'pg'
import {query} from '../db/queries.js'
import {recordAudit, resolveActor, type AuditEvent} from '../audit/record.js'
import {inTransaction} from '../db/transaction.js'
import type {Session} from '../db/session.js'

/** One line of what a mutation did (or would do): the shape every tenant mutation prints. */
export interface Change {
  action: string
  kind: string
  id: string | null
  name: string | null
  field: string | null
  before: unknown
  after: unknown
}

export const CHANGE_COLUMNS = ['action', 'kind', 'id', 'name', 'field', 'before', 'after']

export interface MutationOptions {
  dryRun?: boolean
  actor?: string
}

export function change(
  action: string,
  kind: string,
  id: string | null,
  name: string | null,
  field: string | null = null,
  before: unknown = null,
  after: unknown = null,
): Change {
  return {action, kind, id, name, field, before, after}
}

/** Field-by-field difference of two rows, for the before/after preview. */
export function diff(
  kind: string,
  id: string,
  name: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  fields: string[],
): Change[] {
  const out: Change[] = []
  for (const f of fields) {
    if (JSON.stringify(before[f] ?? null) !== JSON.stringify(after[f] ?? null))
      out.push(change('update', kind, id, name, f, before[f] ?? null, after[f] ?? null))
  }
  return out
}

/**
 * Runs one mutation: the change and exactly one audit row in the same write transaction (retried on
 * serialization failures and deadlocks), rolled back at the end when dryRun is set. A mutation that
 * finds, once inside, that there is nothing to change returns no audit: nothing is recorded.
 */
export async function mutate<T = Change[]>(
  session: Session,
  options: MutationOptions,
  fn: (client: pg.ClientBase) => Promise<{changes: T; audit: AuditEvent | null}>,
): Promise<T> {
  return inTransaction(session, 'write', async (client, tx) => {
    await client.query(query('tenants/mutation-settings').text)
    const {changes, audit} = await fn(client)
    if (audit)
      await recordAudit(client, {
        ...audit,
        actor: resolveActor(options.actor),
        metadata: {...audit.metadata, dry_run: Boolean(options.dryRun)},
      })
    if (options.dryRun) tx.rollbackOnly()
    return changes
  })
}
