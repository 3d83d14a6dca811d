import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {conflict} from '../errors.js'
import {findUser} from '../input/find.js'
import {checkOneOf} from '../input/validate.js'
import {names} from '../util/text.js'
import {change, mutate, type Change, type MutationOptions} from '../tenants/mutation.js'

export const MESSAGE_POLICIES = ['keep', 'redact'] as const

/** Tables whose rows stay, with the person's data taken out; the others' rows go. */
const REDACTED = new Set(['security_events', 'messages', 'organizations'])

export interface EraseOptions extends MutationOptions {
  messages?: string
}

/**
 * Right to erasure: the user's row stays (others' messages, files and projects point at it) but
 * holds nothing personal; tokens, notifications and memberships go; an organization's contact or
 * billing address that is theirs is cleared; the audit trail about them is stripped of personal
 * data, and the erasure's own audit row names the user by id only.
 */
export async function eraseUser(session: Session, ref: string, options: EraseOptions): Promise<Change[]> {
  const policy = checkOneOf(options.messages ?? 'keep', MESSAGE_POLICIES, '--messages')
  return mutate(session, options, async (client) => {
    const user = await findUser(client, ref)
    await client.query(query('tenants/lock-user').text, [user.id])
    const sole = (await client.query<{slug: string}>(query('tenants/lock-sole-owned-orgs').text, [user.id])).rows.map(
      (r) => r.slug,
    )
    if (sole.length > 0) {
      throw conflict(
        `user ${user.id} is the only owner of ${names(sole)}: erasing them would leave ${sole.length === 1 ? 'it' : 'them'} with none`,
        `make another member owner first (\`fluxadmin members set-role ${sole[0]} USER owner\`), or purge the organization; nothing was changed`,
      )
    }
    const {rowCount: events} = await client.query(query('lifecycle/erase-security-events').text, [user.id, user.email])
    const {
      rows: [links],
    } = await client.query(query('lifecycle/erase-links').text, [user.id])
    const {
      rows: [contacts],
    } = await client.query(query('lifecycle/erase-org-contacts').text, [user.email])
    const {
      rows: [after],
    } = await client.query(query('lifecycle/erase-user').text, [user.id])
    const redacted =
      policy === 'redact' ? ((await client.query(query('lifecycle/redact-messages').text, [user.id])).rowCount ?? 0) : 0
    const counts: Record<string, number> = {...links, ...contacts, security_events: events ?? 0, messages: redacted}
    const changes = [
      change('update', 'user', user.id, null, 'email', user.email, after.email),
      change('update', 'user', user.id, null, 'name', user.name, after.name),
      ...Object.entries(counts)
        .filter(([, n]) => n > 0)
        .map(([table, n]) => change(REDACTED.has(table) ? 'redact' : 'delete', table, null, null, 'rows', n, 0)),
    ]
    return {
      changes,
      audit: {
        eventType: 'admin.user.erased',
        severity: 'warning',
        userId: user.id,
        description: `erased the personal data of user ${user.id}`,
        metadata: {user_id: user.id, messages: policy, rows: counts},
      },
    }
  })
}
