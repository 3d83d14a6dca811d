import type pg from 'pg'
import {query} from '../db/queries.js'
import {notFound, usageError} from '../errors.js'
import {isEmail, isSlug, normalizeUuid} from './validate.js'

export interface OrgRef {
  id: string
  slug: string
  name: string
  subscription_status: string
}
export interface UserRef {
  id: string
  email: string
  name: string
  is_active: boolean
}
export interface TeamRef {
  id: string
  slug: string
  name: string
  organization_id: string
}
export interface ProjectRef {
  id: string
  slug: string
  name: string
  organization_id: string
}

type Kind = 'organization' | 'user' | 'team' | 'project'

const SPEC: Record<Kind, {sql: string; keyOk: (s: string) => boolean; key: string; hint: string; inOrg?: boolean}> = {
  organization: {sql: 'tenants/find-org', keyOk: isSlug, key: 'slug', hint: 'list them with `fluxadmin orgs list`'},
  user: {
    sql: 'tenants/find-user',
    keyOk: isEmail,
    key: 'email',
    hint: 'list them with `fluxadmin users list --search TEXT`',
  },
  team: {
    sql: 'tenants/find-team',
    keyOk: isSlug,
    key: 'slug',
    hint: 'list them with `fluxadmin teams list --org ORG`',
    inOrg: true,
  },
  project: {
    sql: 'tenants/find-project',
    keyOk: isSlug,
    key: 'slug',
    hint: 'list them with `fluxadmin projects list ORG`',
    inOrg: true,
  },
}

/**
 * The one way to turn what a user typed into a row: a UUID, or the natural key (org slug, user email,
 * team or project slug within `orgId`). Invalid text exits 2, an unknown row exits 4.
 */
export async function lookup<T>(client: pg.ClientBase, kind: Kind, ref: string, orgId?: string): Promise<T> {
  const spec = SPEC[kind]
  const text = ref.trim()
  if (!text) throw usageError(`the ${kind} is empty`, `give the ${kind}'s UUID or its ${spec.key}`)
  const id = normalizeUuid(text)
  const key = kind === 'user' ? text.toLowerCase() : text
  if (!id && !spec.keyOk(key)) {
    throw usageError(
      `invalid ${kind} "${ref}": not a UUID or a valid ${spec.key}`,
      `give the ${kind}'s UUID or its ${spec.key}`,
    )
  }
  // 32 hex digits are a UUID without its dashes, and a valid slug too: by id first, then by slug.
  const tries: Array<[string | null, string | null]> = id ? [[id, null]] : [[null, key]]
  if (id && !text.includes('-') && spec.keyOk(key)) tries.push([null, key])
  for (const [byId, byKey] of tries) {
    const params: unknown[] = [byId, byKey]
    if (spec.inOrg) params.push(orgId ?? null)
    const {
      rows: [row],
    } = await client.query(query(spec.sql).text, params)
    if (row) return row as T
  }
  throw notFound(`no ${kind} "${ref}"`, spec.hint)
}

export const findOrg = (client: pg.ClientBase, ref: string) => lookup<OrgRef>(client, 'organization', ref)
export const findUser = (client: pg.ClientBase, ref: string) => lookup<UserRef>(client, 'user', ref)
export const findTeam = (client: pg.ClientBase, ref: string, orgId: string) =>
  lookup<TeamRef>(client, 'team', ref, orgId)
export const findProject = (client: pg.ClientBase, ref: string, orgId: string) =>
  lookup<ProjectRef>(client, 'project', ref, orgId)
