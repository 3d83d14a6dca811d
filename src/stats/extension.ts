import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {FluxError} from '../errors.js'

/** What the once-per-session check learnt about the server. */
export interface StatementsInfo {
  serverVersionNum: number
  database: string
  /** pg_stat_statements_info (and its stats_reset) exists from PostgreSQL 14 on. */
  hasInfoView: boolean
}

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
  const status = await inTransaction(session, 'read', async (client) => (await client.query<ExtensionStatus>(query('stats/extension-status').text)).rows[0])
  const libraries = status.preload === null ? null : splitLibraries(status.preload)
  const preloaded = libraries === null ? true : libraries.includes('pg_stat_statements')
  const created = status.extversion !== null
  if (!preloaded || !created) throw missingStatements(status.database, libraries ?? [], {preloaded, created})
  return {serverVersionNum: status.server_version_num, database: status.database, hasInfoView: status.server_version_num >= 140000}
}

/** `'a, "b"'` -> ['a', 'b'] (the setting is a comma-separated list, names optionally quoted). */
export function splitLibraries(setting: string): string[] {
  return setting.split(',').map((s) => s.trim().replace(/^"(.*)"$/, '$1')).filter(Boolean)
}

export function missingStatements(database: string, libraries: string[], state: {preloaded: boolean; created: boolean}): FluxError {
  const line = `shared_preload_libraries = '${[...libraries, 'pg_stat_statements'].join(',')}'`
  const create = 'CREATE EXTENSION pg_stat_statements;'
  if (!state.preloaded && !state.created) {
    return new FluxError(`pg_stat_statements is not in shared_preload_libraries, and the extension is not created in database "${database}"`, {
      kind: 'missing_extension',
      hint: `add this line to postgresql.conf and restart PostgreSQL: ${line} -- then run in "${database}": ${create}`,
    })
  }
  if (!state.preloaded) {
    return new FluxError(`pg_stat_statements is not in shared_preload_libraries (the extension is created in "${database}" but collects nothing)`, {
      kind: 'missing_extension',
      hint: `add this line to postgresql.conf and restart PostgreSQL: ${line}`,
    })
  }
  return new FluxError(`the extension pg_stat_statements is not created in database "${database}" (it is preloaded)`, {
    kind: 'missing_extension',
    hint: `run in "${database}": ${create}`,
  })
}
