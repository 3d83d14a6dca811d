import {usageError} from '../errors.js'

export const USER_TYPES = ['client', 'designer', 'admin'] as const
export const ORG_ROLES = ['owner', 'admin', 'member', 'viewer'] as const
export const TEAM_ROLES = ['lead', 'member'] as const
export const PROJECT_ROLES = ['manager', 'contributor', 'client', 'viewer'] as const
export const PROJECT_STATUSES = ['planning', 'active', 'on-hold', 'completed', 'cancelled'] as const
export const ORG_TYPES = ['high_school', 'university', 'college', 'independent', 'studio', 'nonprofit'] as const
export const ORG_STATUSES = ['active', 'suspended', 'trialing', 'past_due', 'cancelled'] as const

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
// Pragmatic address check: one @, no spaces, a dot in the domain, no leading/trailing dots.
const EMAIL = /^[^\s@"<>(),;:]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/

const UUID_DIGITS = /^[0-9a-f]{32}$/i

/**
 * A UUID in its canonical form (lower case, dashed), from that form or from its 32 hex digits
 * without dashes (as PostgreSQL's uuid input also takes it); undefined for anything else.
 */
export function normalizeUuid(text: string): string | undefined {
  if (UUID.test(text)) return text.toLowerCase()
  if (!UUID_DIGITS.test(text)) return undefined
  const d = text.toLowerCase()
  return `${d.slice(0, 8)}-${d.slice(8, 12)}-${d.slice(12, 16)}-${d.slice(16, 20)}-${d.slice(20)}`
}

export const isUuid = (text: string) => normalizeUuid(text) !== undefined
/** The address pattern's source, for checks done in SQL (`~*`): PostgreSQL's regular expressions read it the same way. */
export const EMAIL_PATTERN = EMAIL.source
export const isEmail = (text: string) => text.length <= 255 && EMAIL.test(text) && !/\.\./.test(text)
export const isSlug = (text: string) => SLUG.test(text) && !text.includes('--')

/** Returns the lower-cased address, or throws a usage error (exit 2). */
export function checkEmail(text: string): string {
  const email = text.trim().toLowerCase()
  if (!isEmail(email)) throw usageError(`invalid email "${text}"`, 'an address looks like ada@example.org')
  return email
}

export function checkSlug(text: string, what = 'slug'): string {
  if (!isSlug(text))
    throw usageError(
      `invalid ${what} "${text}"`,
      'use lowercase letters, digits and single hyphens (URL-safe), at most 63 characters, e.g. north-high',
    )
  return text
}

/** Checks a value against a fixed list (user types, roles, org types); exit 2 otherwise. */
export function checkOneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  if (!(allowed as readonly string[]).includes(value))
    throw usageError(`invalid ${what} "${value}"`, `one of: ${allowed.join(', ')}`)
  return value as T
}

/** Free text for a VARCHAR(max) column (sql/schema): longer is a usage error here, not a server error. */
export function checkLength(value: string | undefined, max: number, what: string): void {
  const length = value === undefined ? 0 : [...value].length
  if (length > max) throw usageError(`${what} is too long (${length} characters)`, `use at most ${max} characters`)
}

export function checkUuid(text: string, what = 'id'): string {
  const id = normalizeUuid(text)
  if (!id)
    throw usageError(`invalid UUID "${text}" for ${what}`, 'a UUID looks like 0b5c4b2e-6a3c-4f0e-9d7e-2f1a3c4b5d6e')
  return id
}
