import {query} from '../db/queries.js'
import {layoutQuery} from '../schema/citus-layout.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {conflict, notFound} from '../errors.js'
import {findOrg, findProject, findUser} from '../input/find.js'
import {PROJECT_ROLES, checkOneOf} from '../input/validate.js'
import {change, mutate, type Change, type MutationOptions} from './mutation.js'

export async function listProjects(
  session: Session,
  orgRef: string,
  status?: string,
): Promise<Array<Record<string, unknown>>> {
  return inTransaction(session, 'read', async (client) => {
    const org = await findOrg(client, orgRef)
    return (await client.query(query('tenants/list-projects').text, [org.id, status ?? null])).rows
  })
}

export async function listProjectMembers(
  session: Session,
  orgRef: string,
  projectRef: string,
): Promise<Array<Record<string, unknown>>> {
  return inTransaction(session, 'read', async (client) => {
    const org = await findOrg(client, orgRef)
    const project = await findProject(client, projectRef, org.id)
    return (await client.query(query('tenants/list-project-members').text, [project.id])).rows
  })
}

const EVENTS = {
  add: 'admin.project_member.added',
  remove: 'admin.project_member.removed',
  'set-role': 'admin.project_member.role_changed',
}

/**
 * add / remove / set-role on project_members. Only members of the project's organization can be added
 * (exit 4 otherwise). Lock order: organization, project, user (lookups in that order, then the
 * INSERT's foreign keys).
 */
export async function changeProjectMember(
  session: Session,
  verb: keyof typeof EVENTS,
  orgRef: string,
  projectRef: string,
  userRef: string,
  role: string | undefined,
  options: MutationOptions,
): Promise<Change[]> {
  if (role !== undefined) checkOneOf(role, PROJECT_ROLES, 'project role')
  return mutate(session, options, async (client) => {
    const org = await findOrg(client, orgRef)
    const project = await findProject(client, projectRef, org.id)
    const user = await findUser(client, userRef)
    const name = `${org.slug}/${project.slug}/${user.email}`
    const notInProject = () =>
      notFound(
        `${user.email} is not a member of project ${project.slug}`,
        `list them with \`fluxadmin projects members ${org.slug} ${project.slug}\``,
      )
    let changes: Change[]
    if (verb === 'add') {
      const {
        rows: [r],
      } = await client.query((await layoutQuery(client, 'tenants/insert-project-member')).text, [
        project.id,
        user.id,
        role ?? 'contributor',
        org.id,
      ])
      if (!r.org_member)
        throw notFound(
          `${user.email} is not a member of ${org.slug}`,
          `add them to the organization first with \`fluxadmin members add ${org.slug} ${user.email}\``,
        )
      if (!r.id)
        throw conflict(
          `${user.email} is already a member of project ${project.slug}`,
          'change the role with `fluxadmin projects set-role`',
        )
      changes = [change('add', 'project_member', r.id, name, 'role', null, r.role)]
    } else if (verb === 'remove') {
      const {
        rows: [r],
      } = await client.query(query('tenants/delete-project-member').text, [project.id, user.id])
      if (!r) throw notInProject()
      changes = [change('remove', 'project_member', r.id, name, 'role', r.role, null)]
    } else {
      const {
        rows: [r],
      } = await client.query(query('tenants/set-project-member-role').text, [project.id, user.id, role])
      if (!r) throw notInProject()
      changes = r.before === r.after ? [] : [change('update', 'project_member', r.id, name, 'role', r.before, r.after)]
    }
    return {
      changes,
      audit: {
        eventType: EVENTS[verb],
        severity: verb === 'remove' ? 'warning' : 'info',
        userId: user.id,
        description: `${verb} ${user.email} in project ${project.slug} of ${org.slug}${role ? ` (${role})` : ''}`,
        metadata: {
          org_id: org.id,
          project_id: project.id,
          user_id: user.id,
          args: {org: orgRef, project: projectRef, user: userRef, role: role ?? null},
          changes: changes.map(({field, before, after}) => ({field, before, after})),
        },
      },
    }
  })
}
