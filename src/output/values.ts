/** Converts a pg value to its JSON form: ISO timestamps, numbers as numbers, JSONB and arrays as-is. */
export function toJsonValue(value: unknown): unknown {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString()
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`
  if (Array.isArray(value)) return value.map(toJsonValue)
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) out[key] = toJsonValue(v)
    return out
  }
  return value
}

/** One cell as text, for CSV and tables: objects and arrays as JSON, NULL as empty. */
export function toText(value: unknown): string {
  const v = toJsonValue(value)
  if (v === null) return ''
  if (typeof v === 'object') return JSON.stringify(v)
  return String(v)
}
