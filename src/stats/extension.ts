import {compareVersions, query, type ServerVersion} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {FluxError} from '../errors.js'

/** What the once-per-session check learnt about the server: pass it to query() for the pg_stat_statements variants. */
export interface StatementsInfo extends ServerVersion {
  /** The installed extversion, e.g. `1.11`. */
  pgStatStatements: string
  database: string
  /** pg_stat_statements_info (and its stats_reset) exists from extension 1.9 (PostgreSQL 14's) on. */
  hasInfoView: boolean
}

/** The oldest extversion the pg_stat_statements query files serve (PostgreSQL 13's 1.8: total_exec_time). */
export const OLDEST_STATEMENTS_VERSION = '1.8'

interface ExtensionStatus {
  server_version_num: number
  preload: string | null
  extversion: string | null
  extschema: string | null
  database: string
}

const checked = new WeakMap<Session, Promise<StatementsInfo>>()

/**
 * Checks once per session that pg_stat_statements is preloaded and created in this database; otherwise
 * a `missing_extension` FluxError (exit 6) that names exactly what is missing and how to fix it.
 */
export function requireStatements(session: Session): Promise<StatementsInfo> {
  let info = checked.get(session)
  if (!info) {
    info = checkStatements(session)
    checked.set(session, info)
    info.catch(() => checked.delete(session))
  }
  return info
}

async function checkStatements(session: Session): Promise<StatementsInfo> {
  const status = await inTransaction(
    session,
    'diagnostic',
    async (client) => (await client.query<ExtensionStatus>(query('stats/extension-status').text)).rows[0],
  )
  const libraries = status.preload === null ? null : splitLibraries(status.preload)
  const preloaded = libraries === null ? true : libraries.includes('pg_stat_statements')
  const created = status.extversion !== null
  if (!preloaded || !created) throw missingStatements(status.database, libraries ?? [], {preloaded, created})
  const extversion = status.extversion!
  if (compareVersions(extversion, OLDEST_STATEMENTS_VERSION) < 0) {
    throw new FluxError(
      `pg_stat_statements ${extversion} in database "${status.database}" is older than ${OLDEST_STATEMENTS_VERSION}, the oldest fluxadmin reads (the server kept it through an upgrade)`,
      {
        kind: 'missing_extension',
        hint: `run in "${status.database}": ALTER EXTENSION pg_stat_statements UPDATE;`,
      },
    )
  }
  return {
    versionNum: status.server_version_num,
    pgStatStatements: extversion,
    database: status.database,
    hasInfoView: compareVersions(extversion, '1.9') >= 0,
  }
}

/** `'a, "b"'` -> ['a', 'b'] (the setting is a comma-separated list, names optionally quoted). */
function splitLibraries(setting: string): string[] {
  return setting
    .split(',')
    .map((s) => s.trim().replace(/^"(.*)"$/, '$1'))
    .filter(Boolean)
}

function missingStatements(
  database: string,
  libraries: string[],
  state: {preloaded: boolean; created: boolean},
): FluxError {
  const line = `shared_preload_libraries = '${[...libraries, 'pg_stat_statements'].join(',')}'`
  const create = 'CREATE EXTENSION pg_stat_statements;'
  if (!state.preloaded && !state.created) {
    return new FluxError(
      `pg_stat_statements is not in shared_preload_libraries, and the extension is not created in database "${database}"`,
      {
        kind: 'missing_extension',
        hint: `add this line to postgresql.conf and restart PostgreSQL: ${line} -- then run in "${database}": ${create}`,
      },
    )
  }
  if (!state.preloaded) {
    return new FluxError(
      `pg_stat_statements is not in shared_preload_libraries (the extension is created in "${database}" but collects nothing)`,
      {
        kind: 'missing_extension',
        hint: `add this line to postgresql.conf and restart PostgreSQL: ${line}`,
      },
    )
  }
  return new FluxError(`the extension pg_stat_statements is not created in database "${database}" (it is preloaded)`, {
    kind: 'missing_extension',
    hint: `run in "${database}": ${create}`,
  })
}
