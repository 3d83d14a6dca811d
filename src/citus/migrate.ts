import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {migrate, type MigrateResult} from '../schema/migrate.js'
import {tableRowCounts} from '../schema/tables.js'
import {distribute, type DistributeResult} from './distribute.js'
import {databaseLayout} from '../schema/citus-layout.js'

export interface MigrateDatabaseResult {
  results: MigrateResult[]
  /** On a Citus coordinator with workers: the layout made right after migrating (the tables were empty), or why not. */
  citus?: {distributed: DistributeResult} | {note: string}
}

/**
 * `db migrate`: the pending migrations; then, on a Citus coordinator with workers whose tables hold no row yet,
 * `db distribute` at once (nothing to move, so it is quick). A coordinator with data is left to `db distribute`.
 */
export async function migrateDatabase(
  session: Session,
  options: {dryRun?: boolean; shardCount: number; onWait?: () => void; actor?: string},
): Promise<MigrateDatabaseResult> {
  const results = await migrate(session, options)
  // A signal once the migrations committed: they stand, and nothing more is begun.
  const stopped = () => session.activity.stopped !== undefined
  if (options.dryRun || stopped()) return {results}
  const layout = await inTransaction(session, 'read', (client) => databaseLayout(client))
  if (stopped() || layout.kind !== 'citus' || layout.workers === 0 || layout.distributed) return {results}
  const counts = await tableRowCounts(session)
  if (stopped()) return {results}
  // A table left uncounted (locked) may hold rows: then it is left to `db distribute` too.
  if (counts.skipped.length > 0 || counts.rows.some((t) => t.row_count > 0)) {
    return {
      results,
      citus: {
        note: 'a Citus coordinator with data: `fluxadmin db distribute --dry-run` shows how its tables would be distributed',
      },
    }
  }
  return {
    results,
    citus: {
      distributed: await distribute(session, {
        shardCount: options.shardCount,
        actor: options.actor,
        onWait: options.onWait,
      }),
    },
  }
}
