import {usageError} from '../errors.js'

/**
 * The JSONB structures that fluxstudio-schema.md documents ("Data Types"), as the one definition the
 * editor (`users preferences --set`) and the shape checks of `health app` share. The checks get it
 * as a bind parameter (shapeSpec), so SQL and TypeScript never disagree.
 */
export interface ShapeField {
  /** Dotted path, e.g. `notifications.email`. */
  path: string
  type: 'boolean' | 'string' | 'number'
  /** Accepted strings (for a string field). */
  values?: string[]
  /** Numbers must be above 0 (positive) or at least 0 (nonNegative); integer too when set. */
  min?: 'positive' | 'nonNegative'
  integer?: boolean
  /** Present only together with the other fields that carry the same group (e.g. both dimensions). */
  group?: string
}

/** The themes the application and its data use. */
export const THEMES = ['light', 'dark']

export const USER_PREFERENCES: ShapeField[] = [
  {path: 'notifications.email', type: 'boolean'},
  {path: 'notifications.push', type: 'boolean'},
  {path: 'notifications.mentions', type: 'boolean'},
  {path: 'display.theme', type: 'string', values: THEMES},
  {path: 'display.compactMode', type: 'boolean'},
]

export const FILE_METADATA: ShapeField[] = [
  {path: 'dimensions.width', type: 'number', min: 'positive', integer: true, group: 'dimensions'},
  {path: 'dimensions.height', type: 'number', min: 'positive', integer: true, group: 'dimensions'},
  {path: 'colorProfile', type: 'string'},
  {path: 'dpi', type: 'number', min: 'positive'},
  {path: 'layers', type: 'number', min: 'nonNegative', integer: true},
]

/** The top-level keys of file metadata, for `files list --missing`. */
export const FILE_METADATA_KEYS = [...new Set(FILE_METADATA.map((f) => f.path.split('.')[0]))]

/** The definition as the shape-check SQL reads it: [{path: text[], type, values, min, integer, group}]. */
export function shapeSpec(fields: ShapeField[]): string {
  return JSON.stringify(fields.map((f) => ({...f, path: f.path.split('.')})))
}

/** One `--set PATH=VALUE` or `--unset PATH`, checked against the definition. */
export interface FieldEdit {
  path: string[]
  /** The JSON value to store; undefined removes the path. */
  value?: boolean | string | number
}

function describe(fields: ShapeField[]): string {
  return fields.map((f) => `${f.path} (${f.values ? f.values.join('|') : f.type})`).join(', ')
}

function fieldOf(fields: ShapeField[], path: string): ShapeField {
  const field = fields.find((f) => f.path === path)
  if (!field) throw usageError(`unknown path "${path.slice(0, 200)}"`, `documented paths: ${describe(fields)}`)
  return field
}

/** Parses `notifications.email=false`; a path or a value the contract does not allow exits 2 naming what it allows. */
export function parseSet(fields: ShapeField[], text: string): FieldEdit {
  const eq = text.indexOf('=')
  if (eq <= 0)
    throw usageError(
      `invalid --set "${text.slice(0, 200)}": expected PATH=VALUE`,
      `for example --set notifications.email=false; documented paths: ${describe(fields)}`,
    )
  const field = fieldOf(fields, text.slice(0, eq).trim())
  const raw = text.slice(eq + 1).trim()
  const wrong = (expected: string) =>
    usageError(
      `invalid value "${raw.slice(0, 200)}" for ${field.path}: expected ${expected}`,
      `documented paths: ${describe(fields)}`,
    )
  let value: boolean | string | number
  if (field.type === 'boolean') {
    if (raw !== 'true' && raw !== 'false') throw wrong('true or false')
    value = raw === 'true'
  } else if (field.type === 'number') {
    value = Number(raw)
    if (raw === '' || !Number.isFinite(value) || (field.integer && !Number.isInteger(value)))
      throw wrong(field.integer ? 'an integer' : 'a number')
  } else {
    if (field.values && !field.values.includes(raw)) throw wrong(`one of ${field.values.join(', ')}`)
    value = raw
  }
  return {path: field.path.split('.'), value}
}

export function parseUnset(fields: ShapeField[], text: string): FieldEdit {
  return {path: fieldOf(fields, text.trim()).path.split('.')}
}

/**
 * Every leaf of a JSON object as `a.b` -> value, in key order (for one line per leaf). Depth first
 * with a stack of its own: a document nested thousands of levels deep must not overflow the call stack.
 */
export function leaves(value: unknown): Array<{path: string; value: unknown}> {
  const out: Array<{path: string; value: unknown}> = []
  const pending: Array<[path: string, value: unknown]> = [['', value]]
  while (pending.length > 0) {
    const [path, v] = pending.pop()!
    if (v === null || typeof v !== 'object' || Array.isArray(v) || (path && Object.keys(v).length === 0)) {
      if (path) out.push({path, value: v})
      continue
    }
    const entries = Object.entries(v as Record<string, unknown>)
    for (let i = entries.length - 1; i >= 0; i--)
      pending.push([path ? `${path}.${entries[i][0]}` : entries[i][0], entries[i][1]])
  }
  return out
}
