import type pg from 'pg'
import {query} from '../db/queries.js'
import {FluxError, notFound, usageError} from '../errors.js'

/** What `stats explain --role` did to the transaction before EXPLAIN. */
export interface RoleContext {
  role: string
  /** The role's ALTER ROLE ... SET settings applied with set_config (SET ROLE alone does not apply them). */
  applied: Array<{setting: string; value: string; scope: string}>
  /** Those this session may not set (a superuser setting, when it is not a superuser). */
  skipped: string[]
}

/** PostgreSQL's NAMEDATALEN - 1. */
const MAX_NAME_BYTES = 63

/**
 * Makes the rest of the (rolled back) transaction run as `role`, as its sessions do: the role's
 * settings for this database first, with set_config (as this session, so that superuser settings
 * set by a superuser still apply), then SET ROLE, also with set_config. The name travels as a bind
 * parameter, never in the statement's text.
 */
export async function actAsRole(client: pg.ClientBase, role: string): Promise<RoleContext> {
  if (!role.trim() || Buffer.byteLength(role) > MAX_NAME_BYTES || /[\u0000-\u001F]/.test(role)) {
    throw usageError(`invalid --role "${role}"`, `a role name of 1 to ${MAX_NAME_BYTES} bytes, as \`\\du\` lists them`)
  }
  const {rows} = await client.query<{
    role: string
    setting: string | null
    value: string
    scope: string
    settable: boolean
  }>(query('stats/role-settings').text, [role])
  if (rows.length === 0) throw notFound(`no role "${role}"`, "list roles with psql's `\\du`; names are case-sensitive")
  const settings = rows.filter((r) => r.setting !== null)
  const applied = settings.filter((r) => r.settable).map((r) => ({setting: r.setting!, value: r.value, scope: r.scope}))
  if (applied.length)
    await client.query(query('stats/set-local').text, [applied.map((s) => s.setting), applied.map((s) => s.value)])
  try {
    await client.query(query('stats/set-local').text, [['role'], [role]])
  } catch (error) {
    if ((error as {code?: string}).code === '42501') {
      throw new FluxError(`cannot explain as role "${role}": ${(error as Error).message}`, {
        kind: 'database',
        sqlstate: '42501',
        hint: `connect as a superuser or a member of "${role}" (GRANT "${role}" TO ...)`,
      })
    }
    throw error
  }
  return {role, applied, skipped: settings.filter((r) => !r.settable).map((r) => `${r.setting}=${r.value}`)}
}

/** "explained as role app, with its settings enable_indexscan=off (role); the transaction was rolled back". */
export function describeRole(context: RoleContext): string {
  const applied = context.applied.map((s) => `${s.setting}=${s.value} (${s.scope})`).join(', ')
  return (
    `explained as role ${context.role} (SET ROLE), ${applied ? `with its settings ${applied} applied by set_config` : 'which has no settings of its own (ALTER ROLE ... SET)'}` +
    `${context.skipped.length ? `; not applied (superuser settings): ${context.skipped.join(', ')}` : ''}; the transaction was rolled back`
  )
}
