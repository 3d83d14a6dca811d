import {recordAudit} from '../audit/record.js'
import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {notFound} from '../errors.js'
import {requireStatements} from './extension.js'
import {parseQueryid} from './queryid.js'

export interface ResetScope {
  db?: string
  user?: string
  queryid?: string
}

export interface ResetResult {
  scope: string
  reset: boolean
  audit_id: string
  at: Date
}

/** `every statement` or e.g. `database app, role web`. */
export function describeScope(scope: ResetScope): string {
  const parts = [
    scope.db && `database ${scope.db}`,
    scope.user && `role ${scope.user}`,
    scope.queryid && `queryid ${scope.queryid}`,
  ].filter(Boolean)
  return parts.length === 0 ? 'every statement on the server' : parts.join(', ')
}

/**
 * Resets pg_stat_statements counters (all, or one database's, role's or statement's), audited in
 * security_events in the same transaction. The reset itself is not transactional, so it runs last
 * and never on a dry run.
 */
export async function resetStatements(
  session: Session,
  given: ResetScope,
  options: {dryRun?: boolean; actor?: string} = {},
): Promise<ResetResult> {
  const scope = given.queryid === undefined ? given : {...given, queryid: parseQueryid(given.queryid)}
  await requireStatements(session)
  return inTransaction(session, 'write', async (client, tx) => {
    const {
      rows: [target],
    } = await client.query<{userid: number | null; dbid: number | null}>(query('stats/reset-target').text, [
      scope.user ?? null,
      scope.db ?? null,
    ])
    if (target.dbid === null) throw notFound(`database "${scope.db}" does not exist`, 'list databases with `psql -l`')
    if (target.userid === null)
      throw notFound(`role "${scope.user}" does not exist`, 'list roles with `psql -c "\\du"`')
    const description = `pg_stat_statements reset: ${describeScope(scope)}`
    const audit = await recordAudit(client, {
      eventType: 'admin.stats.reset',
      severity: 'warning',
      description,
      actor: options.actor,
      metadata: {
        db: scope.db ?? null,
        user: scope.user ?? null,
        queryid: scope.queryid ?? null,
        dry_run: Boolean(options.dryRun),
      },
    })
    if (options.dryRun) tx.rollbackOnly()
    else await client.query(query('stats/reset').text, [target.userid, target.dbid, scope.queryid ?? 0])
    return {scope: describeScope(scope), reset: !options.dryRun, audit_id: audit.id, at: audit.created_at}
  })
}
