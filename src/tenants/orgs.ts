import type pg from 'pg'
import {auditArgs} from '../audit/args.js'
import {orgPlacements, type OrgPlacement} from '../citus/placement.js'
import {resolveActor} from '../audit/record.js'
import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {conflict, usageError} from '../errors.js'
import {findOrg, findUser} from '../input/find.js'
import {ORG_STATUSES, ORG_TYPES, checkEmail, checkLength, checkOneOf, checkSlug} from '../input/validate.js'
import {databaseLayout, layoutQuery} from '../schema/citus-layout.js'
import {checkNotBlank} from '../util/text.js'
import {change, diff, mutate, type Change, type MutationOptions} from './mutation.js'

export const ORG_TIERS = ['free', 'starter', 'pro', 'enterprise'] as const
const EDITABLE = [
  'name',
  'type',
  'subscription_tier',
  'subscription_status',
  'description',
  'contact_email',
  'website',
  'settings',
]

export interface OrgFilters {
  type?: string
  tier?: string
  status?: string
  search?: string
  limit?: number
}

export interface OrgRow {
  id: string
  slug: string
  name: string
  type: string
  tier: string
  status: string
  members: number
  teams: number
  projects: number
  files: number
  storage_bytes: number
  created_at: Date
}

/** On a distributed database each row also has the node and shard that hold the organization (PLACEMENT_COLUMNS). */
export async function listOrgs(session: Session, f: OrgFilters & {byNode?: boolean}): Promise<OrgRow[]> {
  return inTransaction(session, 'read', async (client) => {
    const {rows} = await client.query<OrgRow>((await layoutQuery(client, 'tenants/list-orgs')).text, [
      f.type ?? null,
      f.tier ?? null,
      f.status ?? null,
      f.search ?? null,
      null,
      f.limit ?? 1000,
    ])
    const placed = await withPlacements(client, rows)
    return f.byNode && placed !== rows
      ? placed.sort((a, b) => String(a.node).localeCompare(String(b.node)) || a.slug.localeCompare(b.slug))
      : placed
  })
}

/** The rows with node, shard_id and isolated added on a distributed database; the same rows otherwise. */
async function withPlacements<T extends {id: string}>(
  client: pg.ClientBase,
  rows: T[],
): Promise<Array<T & Partial<Omit<OrgPlacement, 'organization_id' | 'nodeid'>>>> {
  if (rows.length === 0) return rows
  const layout = await databaseLayout(client)
  if (layout.kind !== 'citus' || !layout.distributed) return rows
  const placements = await orgPlacements(
    client,
    rows.map((r) => r.id),
  )
  return rows.map((r) => {
    const p = placements.get(r.id)
    return {...r, node: p?.node, shard_id: p?.shard_id, isolated: p?.isolated}
  })
}

/** One organization with usage counts, members and teams. */
export async function showOrg(session: Session, ref: string): Promise<Array<Record<string, unknown>>> {
  return inTransaction(session, 'report', async (client) => {
    const org = await findOrg(client, ref)
    const {
      rows: [usage],
    } = await client.query((await layoutQuery(client, 'tenants/list-orgs')).text, [null, null, null, null, org.id, 1])
    const {
      rows: [detail],
    } = await client.query((await layoutQuery(client, 'tenants/org-detail')).text, [org.id])
    return withPlacements(client, [{...usage, ...detail}])
  })
}

export interface OrgInput {
  name: string
  slug: string
  type: string
  tier?: string
  description?: string
  contactEmail?: string
  /** A user (email or id) made owner in the same transaction. */
  owner?: string
}

export async function createOrg(session: Session, input: OrgInput, options: MutationOptions): Promise<Change[]> {
  const slug = checkSlug(input.slug)
  const type = checkOneOf(input.type, ORG_TYPES, 'organization type')
  const tier = checkOneOf(input.tier ?? 'free', ORG_TIERS, 'subscription tier')
  const contact = input.contactEmail !== undefined ? checkEmail(input.contactEmail) : null
  if (!input.name.trim()) throw usageError('the organization name is empty', 'pass --name "North High School"')
  checkLength(input.name.trim(), 255, '--name')
  return mutate(session, options, async (client) => {
    const {
      rows: [taken],
    } = await client.query(query('tenants/find-org').text, [null, slug])
    if (taken) throw conflict(`an organization with slug "${slug}" already exists`, 'choose another --slug')
    const {
      rows: [org],
    } = await client.query(query('tenants/insert-org').text, [
      input.name.trim(),
      slug,
      type,
      tier,
      input.description ?? null,
      contact,
    ])
    const changes = [change('create', 'organization', org.id, org.slug)]
    const owner = input.owner === undefined ? undefined : await findUser(client, input.owner)
    if (owner) {
      const {
        rows: [m],
      } = await client.query(query('tenants/insert-member').text, [org.id, owner.id, 'owner'])
      changes.push(change('add', 'member', m.id, `${slug}/${owner.email}`, 'role', null, m.role))
    }
    return {
      changes,
      audit: {
        eventType: 'admin.org.created',
        severity: 'info',
        description: `created organization ${slug}`,
        metadata: {
          org_id: org.id,
          owner_id: owner?.id ?? null,
          args: {...auditArgs(input, ['name', 'description', 'contactEmail', 'owner']), slug, type, tier},
        },
      },
    }
  })
}

export interface OrgUpdate {
  name?: string
  type?: string
  tier?: string
  description?: string
  contactEmail?: string
  website?: string
}

export async function updateOrg(
  session: Session,
  ref: string,
  u: OrgUpdate,
  options: MutationOptions,
): Promise<Change[]> {
  if (u.type !== undefined) checkOneOf(u.type, ORG_TYPES, 'organization type')
  if (u.tier !== undefined) checkOneOf(u.tier, ORG_TIERS, 'subscription tier')
  checkNotBlank(u.name, 'the organization name', 'pass --name "North High School", or leave --name out')
  checkLength(u.name, 255, '--name')
  checkLength(u.website, 255, '--website')
  const contact = u.contactEmail !== undefined ? checkEmail(u.contactEmail) : null
  if (Object.values(u).every((v) => v === undefined))
    throw usageError(
      'nothing to update',
      'pass at least one of --name, --type, --tier, --description, --contact-email, --website',
    )
  return mutate(session, options, async (client) => {
    const org = await findOrg(client, ref)
    const {
      rows: [before],
    } = await client.query(query('tenants/lock-org').text, [org.id])
    const {
      rows: [after],
    } = await client.query(query('tenants/update-org').text, [
      org.id,
      u.name ?? null,
      u.type ?? null,
      u.tier ?? null,
      u.description ?? null,
      contact,
      u.website ?? null,
    ])
    const changes = diff('organization', org.id, org.slug, before, after, EDITABLE)
    return {
      changes,
      audit: {
        eventType: 'admin.org.updated',
        severity: 'info',
        description: `updated organization ${org.slug}`,
        metadata: {
          org_id: org.id,
          args: auditArgs(u, ['name', 'type', 'tier', 'description', 'contactEmail', 'website']),
          changed: changes.map((c) => c.field),
        },
      },
    }
  })
}

/** Suspends (or, with reason undefined, reactivates) an organization; suspending revokes sessions of members with no other active org. */
export async function setOrgSuspended(
  session: Session,
  ref: string,
  suspend: boolean,
  options: MutationOptions & {reason?: string},
): Promise<Change[]> {
  if (suspend && !options.reason?.trim())
    throw usageError('a suspension needs a reason', 'pass --reason "unpaid invoice 2026-10"')
  return mutate(session, options, async (client) => {
    const org = await findOrg(client, ref)
    const {
      rows: [before],
    } = await client.query(query('tenants/lock-org').text, [org.id])
    if (suspend === (before.subscription_status === 'suspended')) {
      throw conflict(
        `organization ${org.slug} is ${suspend ? 'already suspended' : 'not suspended'}`,
        `its status is ${before.subscription_status}`,
      )
    }
    const details = suspend
      ? {reason: options.reason, at: new Date().toISOString(), by: resolveActor(options.actor)}
      : null
    const {
      rows: [after],
    } = await client.query(query('tenants/set-org-status').text, [org.id, suspend ? 'suspended' : 'active', details])
    const changes = diff('organization', org.id, org.slug, before, after, ['subscription_status', 'settings'])
    let revoked: Array<{id: string; user_id: string; email: string}> = []
    if (suspend) {
      revoked = (
        await client.query((await layoutQuery(client, 'tenants/revoke-org-exclusive-sessions')).text, [org.id])
      ).rows
      for (const r of revoked) changes.push(change('revoke', 'session', r.id, r.email, 'revoked_at', null, 'now'))
    }
    return {
      changes,
      audit: {
        eventType: suspend ? 'admin.org.suspended' : 'admin.org.unsuspended',
        severity: 'warning',
        description: suspend
          ? `suspended organization ${org.slug}: ${options.reason}`
          : `unsuspended organization ${org.slug}`,
        metadata: {
          org_id: org.id,
          args: {org: ref, reason: options.reason ?? null},
          revoked_tokens: revoked.map((r) => r.id),
          affected_users: [...new Set(revoked.map((r) => r.user_id))],
        },
      },
    }
  })
}

export {ORG_STATUSES, ORG_TYPES}
