import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {usageError} from '../errors.js'
import {findUser} from '../input/find.js'
import {USER_PREFERENCES, leaves, type FieldEdit} from '../schema/jsonb.js'
import {change, mutate, type Change, type MutationOptions} from './mutation.js'

export interface UserPreferences {
  user: {id: string; email: string}
  preferences: Record<string, unknown>
}

export async function showPreferences(session: Session, ref: string): Promise<UserPreferences> {
  return inTransaction(session, 'read', async (client) => {
    const user = await findUser(client, ref)
    const {
      rows: [row],
    } = await client.query(query('tenants/user-preferences').text, [user.id])
    return {user: {id: user.id, email: user.email}, preferences: row.preferences}
  })
}

const rank = (path: string) => {
  const i = USER_PREFERENCES.findIndex((f) => f.path === path)
  return i === -1 ? USER_PREFERENCES.length : i
}

/** One line per leaf path, for tables and CSV: the documented paths in the contract's order, then any others. */
export const preferenceRows = (p: UserPreferences) =>
  leaves(p.preferences)
    .sort((a, b) => rank(a.path) - rank(b.path) || a.path.localeCompare(b.path))
    .map((l) => ({path: l.path, value: l.value}))

const at = (doc: unknown, path: string[]): unknown =>
  path.reduce<unknown>(
    (v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined),
    doc,
  ) ?? null

/** `--set` / `--unset` of documented paths in one transaction, audited with before/after of the changed paths only. */
export async function editPreferences(
  session: Session,
  ref: string,
  edits: FieldEdit[],
  options: MutationOptions,
): Promise<Change[]> {
  if (edits.length === 0)
    throw usageError('nothing to change', 'pass --set PATH=VALUE or --unset PATH, or neither to show the preferences')
  return mutate(session, options, async (client) => {
    const user = await findUser(client, ref)
    const {
      rows: [{preferences: before}],
    } = await client.query(query('tenants/lock-user-preferences').text, [user.id])
    let after: unknown = before
    for (const edit of edits) {
      const value = edit.value === undefined ? null : JSON.stringify(edit.value)
      after = (await client.query(query('tenants/set-preference').text, [user.id, edit.path, value])).rows[0]
        .preferences
    }
    const paths = [...new Set(edits.map((e) => e.path.join('.')))]
    const changes = paths
      .map((path) =>
        change('update', 'user', user.id, user.email, path, at(before, path.split('.')), at(after, path.split('.'))),
      )
      .filter((c) => JSON.stringify(c.before) !== JSON.stringify(c.after))
    return {
      changes,
      audit: {
        eventType: 'admin.user.preferences_updated',
        severity: 'info',
        userId: user.id,
        description: `changed preferences of user ${user.id}`,
        metadata: {user_id: user.id, changes: changes.map((c) => ({path: c.field, before: c.before, after: c.after}))},
      },
    }
  })
}
