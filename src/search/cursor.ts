import {usageError} from '../errors.js'

/** The sort key of the last row of a page: where the next page starts (keyset pagination, never OFFSET). */
export interface CursorKey {
  sort: 'rank' | 'newest'
  /** The ranking value (float4, 0 when sorting by newest). */
  rank: number
  /** created_at in microseconds since the epoch (JS dates stop at milliseconds); null when the row has none. */
  createdUs: string | number | null
  id: string
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** base64url of a small JSON array: opaque to users, stable across processes and time zones. */
export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.sort === 'rank' ? 'r' : 'n', key.rank, key.createdUs === null ? null : String(key.createdUs), key.id])).toString('base64url')
}

export function decodeCursor(text: string, sort: 'rank' | 'newest'): CursorKey {
  const invalid = () => usageError('invalid --after cursor', 'pass the value printed after "next page: --after" by the previous page, with the same query and --sort')
  let parsed: unknown
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(text)) throw invalid()
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
  } catch {
    throw invalid()
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) throw invalid()
  const [s, rank, createdUs, id] = parsed as unknown[]
  if (s !== (sort === 'rank' ? 'r' : 'n')) throw usageError('the --after cursor belongs to another --sort', `rerun the first page with --sort ${sort}`)
  if (typeof rank !== 'number' || !Number.isFinite(rank)) throw invalid()
  if (createdUs !== null && (typeof createdUs !== 'string' || !/^-?\d{1,19}$/.test(createdUs))) throw invalid()
  if (typeof id !== 'string' || !UUID.test(id)) throw invalid()
  return {sort, rank, createdUs, id}
}
