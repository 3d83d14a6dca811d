import {auditArgs} from '../audit/args.js'
import {layoutQuery} from '../schema/citus-layout.js'
import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {conflict, notFound, usageError} from '../errors.js'
import {findOrg, findTeam, findUser} from '../input/find.js'
import {TEAM_ROLES, checkLength, checkOneOf, checkSlug} from '../input/validate.js'
import {change, mutate, type Change, type MutationOptions} from './mutation.js'

export async function listTeams(
  session: Session,
  orgRef: string,
  teamRef?: string,
): Promise<Array<Record<string, unknown>>> {
  return inTransaction(session, 'read', async (client) => {
    const org = await findOrg(client, orgRef)
    const team = teamRef !== undefined ? await findTeam(client, teamRef, org.id) : null
    return (await client.query((await layoutQuery(client, 'tenants/list-teams')).text, [org.id, team?.id ?? null])).rows
  })
}

export async function createTeam(
  session: Session,
  orgRef: string,
  input: {slug: string; name: string; description?: string},
  options: MutationOptions,
): Promise<Change[]> {
  const slug = checkSlug(input.slug, 'team slug')
  if (!input.name.trim()) throw usageError('the team name is empty', 'pass --name "Brass section"')
  checkLength(input.name.trim(), 255, '--name')
  return mutate(session, options, async (client) => {
    const org = await findOrg(client, orgRef)
    const {
      rows: [taken],
    } = await client.query(query('tenants/find-team').text, [null, slug, org.id])
    if (taken) throw conflict(`team "${slug}" already exists in ${org.slug}`, 'choose another --slug')
    const {
      rows: [team],
    } = await client.query(query('tenants/insert-team').text, [
      org.id,
      input.name.trim(),
      slug,
      input.description ?? null,
    ])
    return {
      changes: [change('create', 'team', team.id, `${org.slug}/${slug}`)],
      audit: {
        eventType: 'admin.team.created',
        severity: 'info',
        description: `created team ${slug} in ${org.slug}`,
        metadata: {
          org_id: org.id,
          team_id: team.id,
          args: {org: orgRef, ...auditArgs(input, ['slug', 'name', 'description'])},
        },
      },
    }
  })
}

export async function deleteTeam(
  session: Session,
  orgRef: string,
  teamRef: string,
  options: MutationOptions,
): Promise<Change[]> {
  return mutate(session, options, async (client) => {
    const org = await findOrg(client, orgRef)
    const team = await findTeam(client, teamRef, org.id)
    const projects = (await client.query(query('tenants/team-projects').text, [team.id])).rows.map((r) => r.slug)
    if (projects.length)
      throw conflict(
        `team ${team.slug} still has ${projects.length} project${projects.length === 1 ? '' : 's'}: ${projects.join(', ')}`,
        'move or delete those projects first',
      )
    const {
      rows: [gone],
    } = await client.query(query('tenants/delete-team').text, [team.id])
    return {
      changes: [change('delete', 'team', team.id, `${org.slug}/${team.slug}`, 'members', gone.members, 0)],
      audit: {
        eventType: 'admin.team.deleted',
        severity: 'warning',
        description: `deleted team ${team.slug} in ${org.slug}`,
        metadata: {org_id: org.id, team_id: team.id, args: {org: orgRef, team: teamRef}, members_removed: gone.members},
      },
    }
  })
}

/** add-member / remove-member. Lock order: organization, team, user. */
export async function changeTeamMember(
  session: Session,
  verb: 'add' | 'remove',
  orgRef: string,
  teamRef: string,
  userRef: string,
  role: string | undefined,
  options: MutationOptions,
): Promise<Change[]> {
  if (role) checkOneOf(role, TEAM_ROLES, 'team role')
  return mutate(session, options, async (client) => {
    const org = await findOrg(client, orgRef)
    const team = await findTeam(client, teamRef, org.id)
    const user = await findUser(client, userRef)
    const name = `${org.slug}/${team.slug}/${user.email}`
    let c: Change
    if (verb === 'add') {
      const {
        rows: [m],
      } = await client.query((await layoutQuery(client, 'tenants/insert-team-member')).text, [
        team.id,
        user.id,
        role ?? 'member',
        org.id,
      ])
      if (!m.org_member)
        throw notFound(
          `${user.email} is not a member of ${org.slug}`,
          `add them to the organization first with \`fluxadmin members add ${org.slug} ${user.email}\``,
        )
      if (!m.id)
        throw conflict(
          `${user.email} is already in team ${team.slug}`,
          `see the team with \`fluxadmin teams show ${team.slug} --org ${org.slug}\``,
        )
      c = change('add', 'team_member', m.id, name, 'role', null, m.role)
    } else {
      const {
        rows: [m],
      } = await client.query(query('tenants/delete-team-member').text, [team.id, user.id])
      if (!m) throw notFound(`${user.email} is not in team ${team.slug}`)
      c = change('remove', 'team_member', m.id, name, 'role', m.role, null)
    }
    return {
      changes: [c],
      audit: {
        eventType: verb === 'add' ? 'admin.team.member_added' : 'admin.team.member_removed',
        severity: 'info',
        userId: user.id,
        description: `${verb === 'add' ? 'added' : 'removed'} ${user.email} ${verb === 'add' ? 'to' : 'from'} team ${team.slug} in ${org.slug}`,
        metadata: {
          org_id: org.id,
          team_id: team.id,
          user_id: user.id,
          args: {org: orgRef, team: teamRef, user: userRef, role: role ?? null},
        },
      },
    }
  })
}
