import type pg from 'pg'
import {auditArgs} from '../audit/args.js'
import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {notFound, usageError} from '../errors.js'
import {findOrg, findUser} from '../input/find.js'
import {checkUuid} from '../input/validate.js'
import {mutate, type Change, type MutationOptions} from './mutation.js'
import {revokeTokens} from './users.js'

export interface SessionScope {
  user?: string
  org?: string
  id?: string
}

async function resolveScope(client: pg.ClientBase, s: SessionScope) {
  return {
    tokenId: s.id !== undefined ? checkUuid(s.id, 'the session id') : undefined,
    userId: s.user !== undefined ? (await findUser(client, s.user)).id : undefined,
    orgId: s.org !== undefined ? (await findOrg(client, s.org)).id : undefined,
  }
}

export async function listSessions(
  session: Session,
  scope: SessionScope,
  limit = 1000,
): Promise<Array<Record<string, unknown>>> {
  return inTransaction(session, 'read', async (client) => {
    const {userId, orgId} = await resolveScope(client, scope)
    return (await client.query(query('tenants/list-sessions').text, [userId ?? null, orgId ?? null, limit])).rows
  })
}

/** Revokes one session (--id), all of a user's, or all of an organization's members'. */
export async function revokeSessions(
  session: Session,
  scope: SessionScope,
  options: MutationOptions,
): Promise<Change[]> {
  if ([scope.id, scope.user, scope.org].filter(Boolean).length !== 1)
    throw usageError('say which sessions to revoke', 'pass exactly one of --id, --user, --org')
  return mutate(session, options, async (client) => {
    const by = await resolveScope(client, scope)
    const changes = await revokeTokens(client, by)
    if (by.tokenId && changes.length === 0)
      throw notFound(`no unrevoked session ${by.tokenId}`, 'list them with `fluxadmin sessions list`')
    return {
      changes,
      audit: {
        eventType: 'admin.sessions.revoked',
        severity: 'warning',
        userId: by.userId ?? null,
        description: `revoked ${changes.length} session${changes.length === 1 ? '' : 's'}`,
        metadata: {
          user_id: by.userId ?? null,
          org_id: by.orgId ?? null,
          args: auditArgs(scope, ['id', 'user', 'org']),
          revoked_tokens: changes.map((c) => c.id),
        },
      },
    }
  })
}

export interface PurgeResult {
  deleted: number
  batches: number
  older_than: string
  dry_run: boolean
}

/**
 * Deletes expired and revoked tokens older than the given age in batches, each in its own short
 * transaction (no long lock), then writes one audit row with the total. A dry run does the same
 * batches in one transaction and rolls it back.
 */
export async function purgeSessions(
  session: Session,
  olderThanMs: number,
  olderThan: string,
  options: MutationOptions & {batchSize?: number},
): Promise<PurgeResult> {
  const size = options.batchSize ?? 5000
  const batch = async (client: pg.ClientBase) =>
    (await client.query(query('tenants/purge-sessions-batch').text, [olderThanMs, size])).rowCount ?? 0
  let deleted = 0
  let batches = 0
  const loop = async (next: () => Promise<number>) => {
    for (let n = size; n === size; batches++) deleted += n = await next()
  }
  if (!options.dryRun) await loop(() => inTransaction(session, 'write', batch))
  await mutate(session, options, async (client) => {
    if (options.dryRun) await loop(() => batch(client))
    return {
      changes: [],
      audit: {
        eventType: 'admin.sessions.purged',
        severity: 'info',
        description: `purged ${deleted} expired or revoked sessions older than ${olderThan}`,
        metadata: {args: {older_than: olderThan}, deleted, batches},
      },
    }
  })
  return {deleted, batches, older_than: olderThan, dry_run: Boolean(options.dryRun)}
}
