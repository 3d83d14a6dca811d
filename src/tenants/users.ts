import type pg from 'pg'
import {layoutQuery} from '../schema/citus-layout.js'
import {auditArgs} from '../audit/args.js'
import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {conflict, usageError} from '../errors.js'
import {findOrg, findUser} from '../input/find.js'
import {ORG_ROLES, USER_TYPES, checkEmail, checkLength, checkOneOf} from '../input/validate.js'
import {checkNotBlank} from '../util/text.js'
import {change, diff, mutate, type Change, type MutationOptions} from './mutation.js'
import {hashPassword} from './password.js'

export interface UserFilters {
  search?: string
  type?: string
  org?: string
  active?: boolean
  limit?: number
}

export async function listUsers(session: Session, f: UserFilters): Promise<Array<Record<string, unknown>>> {
  return inTransaction(session, 'read', async (client) => {
    const orgId = f.org !== undefined ? (await findOrg(client, f.org)).id : null
    const {rows} = await client.query((await layoutQuery(client, 'tenants/list-users')).text, [
      f.search ?? null,
      f.type ?? null,
      orgId,
      f.active ?? null,
      f.limit ?? 1000,
    ])
    return rows
  })
}

export async function showUser(session: Session, ref: string): Promise<Array<Record<string, unknown>>> {
  return inTransaction(session, 'report', async (client) => {
    const user = await findUser(client, ref)
    return (await client.query((await layoutQuery(client, 'tenants/user-detail')).text, [user.id])).rows
  })
}

export interface NewUser {
  email: string
  name: string
  type: string
  password?: string
  org?: string
  role?: string
}

/** `users create` (with a password) and `users invite` (without one, optionally into an organization). */
export async function createUser(session: Session, input: NewUser, options: MutationOptions): Promise<Change[]> {
  const email = checkEmail(input.email)
  const type = checkOneOf(input.type, USER_TYPES, 'user type')
  const role = input.role !== undefined ? checkOneOf(input.role, ORG_ROLES, 'role') : 'member'
  if (!input.name.trim()) throw usageError('the name is empty', 'pass --name "Ada Lovelace"')
  checkLength(input.name.trim(), 255, '--name')
  const hash = input.password === undefined ? null : await hashPassword(input.password)
  const invite = input.password === undefined
  return mutate(session, options, async (client) => {
    const org = input.org !== undefined ? await findOrg(client, input.org) : null
    const {
      rows: [taken],
    } = await client.query(query('tenants/find-user').text, [null, email])
    if (taken)
      throw conflict(`a user with email ${email} already exists`, `see it with \`fluxadmin users show ${email}\``)
    const {
      rows: [user],
    } = await client.query(query('tenants/insert-user').text, [email, input.name.trim(), type, hash])
    const changes = [change('create', 'user', user.id, email, 'password', null, hash ? 'bcrypt' : null)]
    if (org) {
      const {
        rows: [m],
      } = await client.query(query('tenants/insert-member').text, [org.id, user.id, role])
      changes.push(change('add', 'member', m.id, `${org.slug}/${email}`, 'role', null, role))
    }
    const args = {email, name: input.name, type, org: org?.slug ?? null, role: org ? role : null}
    return {
      changes,
      audit: {
        eventType: invite ? 'admin.user.invited' : 'admin.user.created',
        severity: 'info',
        userId: user.id,
        description: `${invite ? 'invited' : 'created'} user ${email}`,
        metadata: {user_id: user.id, org_id: org?.id ?? null, args},
      },
    }
  })
}

export interface UserUpdate {
  email?: string
  name?: string
  type?: string
  timezone?: string
  phone?: string
}

export async function updateUser(
  session: Session,
  ref: string,
  u: UserUpdate,
  options: MutationOptions,
): Promise<Change[]> {
  const email = u.email !== undefined ? checkEmail(u.email) : null
  if (u.type !== undefined) checkOneOf(u.type, USER_TYPES, 'user type')
  checkNotBlank(u.name, 'the name', 'pass --name "Ada Lovelace", or leave --name out')
  checkNotBlank(u.timezone, 'the timezone', 'pass an IANA name such as Europe/Berlin, or leave --timezone out')
  checkLength(u.name, 255, '--name')
  checkLength(u.timezone, 50, '--timezone')
  checkLength(u.phone, 20, '--phone')
  if (Object.values(u).every((v) => v === undefined))
    throw usageError('nothing to update', 'pass at least one of --email, --name, --type, --timezone, --phone')
  return mutate(session, options, async (client) => {
    const user = await findUser(client, ref)
    if (
      u.timezone !== undefined &&
      !(await client.query(query('tenants/timezone-known').text, [u.timezone])).rows[0].known
    ) {
      throw usageError(
        `unknown timezone "${u.timezone}"`,
        'use an IANA name that PostgreSQL knows (SELECT name FROM pg_timezone_names), e.g. Europe/Berlin',
      )
    }
    if (email) {
      const {
        rows: [taken],
      } = await client.query(query('tenants/find-user').text, [null, email])
      if (taken && taken.id !== user.id)
        throw conflict(
          `a user with email ${taken.email} already exists`,
          `see it with \`fluxadmin users show ${taken.email}\``,
        )
    }
    const {
      rows: [before],
    } = await client.query(query('tenants/lock-user').text, [user.id])
    const {
      rows: [after],
    } = await client.query(query('tenants/update-user').text, [
      user.id,
      email,
      u.name ?? null,
      u.type ?? null,
      u.timezone ?? null,
      u.phone ?? null,
      null,
    ])
    const changes = diff('user', user.id, user.email, before, after, [
      'email',
      'name',
      'user_type',
      'timezone',
      'phone',
    ])
    return {
      changes,
      audit: {
        eventType: 'admin.user.updated',
        severity: 'info',
        userId: user.id,
        description: `updated user ${user.email}`,
        metadata: {
          user_id: user.id,
          args: auditArgs(u, ['email', 'name', 'type', 'timezone', 'phone']),
          changed: changes.map((c) => c.field),
        },
      },
    }
  })
}

/** Revokes tokens (one, a user's, an org's members'); returns one change row per token. */
export async function revokeTokens(
  client: pg.ClientBase,
  by: {tokenId?: string; userId?: string; orgId?: string},
): Promise<Change[]> {
  const {rows} = await client.query(query('tenants/revoke-sessions').text, [
    by.tokenId ?? null,
    by.userId ?? null,
    by.orgId ?? null,
  ])
  return rows.map((r) => change('revoke', 'session', r.id, r.email, 'revoked_at', null, 'now'))
}

/** deactivate (is_active=false, every token revoked) or reactivate. */
export async function setUserActive(
  session: Session,
  ref: string,
  active: boolean,
  options: MutationOptions,
): Promise<Change[]> {
  return mutate(session, options, async (client) => {
    const user = await findUser(client, ref)
    const {
      rows: [before],
    } = await client.query(query('tenants/lock-user').text, [user.id])
    if (before.is_active === active)
      throw conflict(`user ${user.email} is already ${active ? 'active' : 'deactivated'}`)
    const {
      rows: [after],
    } = await client.query(query('tenants/update-user').text, [user.id, null, null, null, null, null, active])
    const changes = diff('user', user.id, user.email, before, after, ['is_active'])
    if (!active) changes.push(...(await revokeTokens(client, {userId: user.id})))
    return {
      changes,
      audit: {
        eventType: active ? 'admin.user.reactivated' : 'admin.user.deactivated',
        severity: 'warning',
        userId: user.id,
        description: `${active ? 'reactivated' : 'deactivated'} user ${user.email}`,
        metadata: {
          user_id: user.id,
          args: {user: ref},
          revoked_tokens: changes.filter((c) => c.kind === 'session').map((c) => c.id),
        },
      },
    }
  })
}
