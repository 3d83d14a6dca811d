import type pg from 'pg'
import {FluxError, usageError} from '../errors.js'
import type {ConnInfo} from './conninfo.js'

const METHODS = ['password', 'md5', 'scram-sha-256', 'gss', 'sspi', 'none'] as const
type Method = (typeof METHODS)[number]
const CHANNEL_BINDING = ['disable', 'prefer', 'require'] as const

/** libpq's require_auth and channel_binding: which authentication the server may ask for. */
export interface AuthPolicy {
  /** The methods allowed; undefined: any. */
  allowed?: Set<Method>
  requireAuth?: string
  channelBinding: (typeof CHANNEL_BINDING)[number]
}

/** Reads require_auth (`scram-sha-256`, `md5,password`, or all negated: `!password,!md5`) and channel_binding. */
export function authPolicy(info: ConnInfo): AuthPolicy {
  const channelBinding = (info.channel_binding || 'prefer') as AuthPolicy['channelBinding']
  if (!CHANNEL_BINDING.includes(channelBinding))
    throw usageError(`invalid channel_binding "${channelBinding}"`, `one of ${CHANNEL_BINDING.join(', ')}`)
  if (!info.require_auth) return {channelBinding}
  const items = info.require_auth.split(',').map((m) => m.trim())
  const negated = items.every((m) => m.startsWith('!'))
  if (!negated && items.some((m) => m.startsWith('!')))
    throw usageError(
      `require_auth "${info.require_auth}" mixes allowed and negated methods`,
      'list the methods allowed (scram-sha-256,md5) or those refused (!password,!md5), not both',
    )
  const named = items.map((m) => m.replace(/^!/, ''))
  const unknown = named.find((m) => !(METHODS as readonly string[]).includes(m))
  if (unknown !== undefined)
    throw usageError(
      `invalid require_auth method "${unknown}"`,
      `one or more of ${METHODS.join(', ')}, or each with ! to refuse it`,
    )
  const allowed = new Set<Method>(negated ? METHODS.filter((m) => !named.includes(m)) : (named as Method[]))
  return {allowed, requireAuth: info.require_auth, channelBinding}
}

/**
 * Refuses, before any password is sent, an authentication request the policy does not allow:
 * these listeners run before pg's own, which answer asynchronously, and the socket is closed first.
 * channel_binding=require asks for SCRAM-SHA-256-PLUS (offered over TLS only) and nothing else.
 */
export function enforceAuthPolicy(client: pg.Client, policy: AuthPolicy, where: string): void {
  if (!policy.allowed && policy.channelBinding !== 'require') return
  const connection = (client as unknown as {connection: pg.Connection}).connection
  let asked = false
  const refuse = (why: string, hint: string) => {
    connection.stream.destroy()
    connection.emit(
      'error',
      new FluxError(`cannot connect to PostgreSQL at ${where}: ${why}`, {kind: 'connection', hint}),
    )
  }
  const check = (method: Method, label: string) => {
    asked = true
    if (policy.allowed && !policy.allowed.has(method)) {
      return refuse(
        `the server asked for ${label} authentication, which require_auth=${policy.requireAuth} does not allow`,
        "change require_auth, or the server's pg_hba.conf method for this connection",
      )
    }
    if (policy.channelBinding === 'require' && method !== 'scram-sha-256') {
      return refuse(
        `channel binding is required, but the server asked for ${label} authentication`,
        'channel binding needs SCRAM-SHA-256 over TLS (sslmode=require or stronger)',
      )
    }
  }
  connection.prependListener('authenticationCleartextPassword', () => check('password', 'password (cleartext)'))
  connection.prependListener('authenticationMD5Password', () => check('md5', 'MD5'))
  connection.prependListener('authenticationSASL', (message: {mechanisms: string[]}) => {
    check('scram-sha-256', 'SCRAM-SHA-256')
    if (
      policy.channelBinding === 'require' &&
      !message.mechanisms.includes('SCRAM-SHA-256-PLUS') &&
      !connection.stream.destroyed
    ) {
      refuse(
        'channel binding is required, but the server did not offer SCRAM-SHA-256-PLUS',
        'channel binding needs TLS: sslmode=require or stronger',
      )
    }
  })
  connection.prependListener('authenticationOk', () => {
    if (!asked) check('none', 'no')
  })
}
