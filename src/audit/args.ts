import {redact} from '../db/redact.js'

/**
 * The flags an audit row may keep: only the named keys that describe the change, never connection
 * strings or other secrets (an allow-list per command, so a new flag stays out until it is named).
 */
export function auditArgs<T extends object>(
  values: T,
  allowed: ReadonlyArray<keyof T & string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key of allowed) if (values[key] !== undefined) out[key] = values[key]
  return out
}

/** Every string in an audit payload with registered passwords and URL credentials removed (a second line of defence). */
export function scrubSecrets(value: unknown): unknown {
  if (typeof value === 'string') return redact(value)
  if (Array.isArray(value)) return value.map(scrubSecrets)
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubSecrets(v)]))
  }
  return value
}
