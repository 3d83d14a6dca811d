import type pg from 'pg'
import {layoutQuery} from '../schema/citus-layout.js'
import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {conflict, notFound} from '../errors.js'
import {findOrg, findUser} from '../input/find.js'
import {ORG_ROLES, checkOneOf} from '../input/validate.js'
import {change, mutate, type Change, type MutationOptions} from './mutation.js'

export async function listMembers(
  session: Session,
  orgRef: string,
  role?: string,
): Promise<Array<Record<string, unknown>>> {
  return inTransaction(session, 'read', async (client) => {
    const org = await findOrg(client, orgRef)
    return (await client.query((await layoutQuery(client, 'tenants/list-members')).text, [org.id, role ?? null])).rows
  })
}

type Verb = 'add' | 'remove' | 'set-role'

/**
 * add / remove / set-role on organization_members. Lock order is always organization, then user
 * (the lookups run in that order and the INSERT's foreign keys lock them in that order), so
 * concurrent operators cannot deadlock; serialization failures are retried by inTransaction.
 */
export async function changeMember(
  session: Session,
  verb: Verb,
  orgRef: string,
  userRef: string,
  role: string | undefined,
  options: MutationOptions,
): Promise<Change[]> {
  if (role !== undefined) checkOneOf(role, ORG_ROLES, 'role')
  return mutate(session, options, async (client) => {
    const org = await findOrg(client, orgRef)
    const user = await findUser(client, userRef)
    const name = `${org.slug}/${user.email}`
    let changes: Change[]
    if (verb === 'add') {
      const {
        rows: [m],
      } = await client.query(query('tenants/insert-member').text, [org.id, user.id, role ?? 'member'])
      if (!m)
        throw conflict(
          `${user.email} is already a member of ${org.slug}`,
          'change the role with `fluxadmin members set-role`',
        )
      changes = [change('add', 'member', m.id, name, 'role', null, m.role)]
    } else if (verb === 'remove') {
      await keepAnOwner(client, org, user)
      // First the lock, then the deletes in a statement of their own: its snapshot sees team and
      // project members added by a transaction that held the row until it committed.
      await client.query(query('tenants/lock-member').text, [org.id, user.id])
      const {
        rows: [r],
      } = await client.query(query('tenants/delete-member').text, [org.id, user.id])
      if (!r.role) throw notFound(`${user.email} is not a member of ${org.slug}`)
      changes = [change('remove', 'member', user.id, name, 'role', r.role, null)]
      if (r.teams_removed > 0) changes.push(change('remove', 'team_member', user.id, name, 'teams', r.teams_removed, 0))
      if (r.projects_removed > 0)
        changes.push(change('remove', 'project_member', user.id, name, 'projects', r.projects_removed, 0))
    } else {
      if (role !== 'owner') await keepAnOwner(client, org, user)
      const {
        rows: [r],
      } = await client.query(query('tenants/set-member-role').text, [org.id, user.id, role])
      if (!r) throw notFound(`${user.email} is not a member of ${org.slug}`, 'add them with `fluxadmin members add`')
      changes = r.before === r.after ? [] : [change('update', 'member', r.id, name, 'role', r.before, r.after)]
    }
    const event = {add: 'admin.member.added', remove: 'admin.member.removed', 'set-role': 'admin.member.role_changed'}[
      verb
    ]
    return {
      changes,
      audit: {
        eventType: event,
        severity: verb === 'remove' ? 'warning' : 'info',
        userId: user.id,
        description: `${verb} ${user.email} in ${org.slug}${role ? ` (${role})` : ''}`,
        metadata: {
          org_id: org.id,
          user_id: user.id,
          args: {org: orgRef, user: userRef, role: role ?? null},
          changes: changes.map(({field, before, after}) => ({field, before, after})),
        },
      },
    }
  })
}

/**
 * Refuses to remove or demote an organization's only owner: nobody could administer it any more.
 * The owner rows stay locked to the end of the transaction, so two removals of its two owners
 * cannot both pass.
 */
async function keepAnOwner(
  client: pg.ClientBase,
  org: {id: string; slug: string},
  user: {id: string; email: string},
): Promise<void> {
  const owners = (await client.query(query('tenants/lock-owners').text, [org.id])).rows.map((r) => r.user_id as string)
  if (owners.length === 1 && owners[0] === user.id) {
    throw conflict(
      `${user.email} is the only owner of ${org.slug}: it would have none`,
      `make another member owner first (\`fluxadmin members set-role ${org.slug} USER owner\`), or suspend the organization`,
    )
  }
}
