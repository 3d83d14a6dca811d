import {usageError} from '../errors.js'
import {isUuid} from './validate.js'

/** The sort key of the last row of a page: where the next page starts (keyset pagination, never OFFSET). */
export interface CursorKey {
  sort: 'rank' | 'newest'
  /** The ranking value (float4, 0 when sorting by newest). */
  rank: number
  /** created_at in microseconds since the epoch (JS dates stop at milliseconds); null when the row has none. */
  createdUs: string | number | null
  id: string
}

const FLOAT4_MAX = 3.4028234663852886e38
// created_at in microseconds from year 1 to year 9999: every date a message can carry.
const MIN_US = -62_135_596_800_000_000n
const MAX_US = 253_402_300_799_999_999n
const inDateRange = (us: string) => BigInt(us) >= MIN_US && BigInt(us) <= MAX_US

/** base64url of a small JSON array: opaque to users, stable across processes and time zones. */
export function encodeCursor(key: CursorKey): string {
  return Buffer.from(
    JSON.stringify([
      key.sort === 'rank' ? 'r' : 'n',
      key.rank,
      key.createdUs === null ? null : String(key.createdUs),
      key.id,
    ]),
  ).toString('base64url')
}

export function decodeCursor(text: string, sort: 'rank' | 'newest'): CursorKey {
  const invalid = () =>
    usageError(
      'invalid --cursor',
      'pass the value printed after "next page: --cursor" by the previous page, with the same query, filters and --sort',
    )
  let parsed: unknown
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(text)) throw invalid()
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
  } catch {
    throw invalid()
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) throw invalid()
  const [s, rank, createdUs, id] = parsed as unknown[]
  if (s !== (sort === 'rank' ? 'r' : 'n'))
    throw usageError('the --cursor belongs to another --sort', `rerun the first page with --sort ${sort}`)
  // A forged cursor must fail here, not as a float4 or timestamp overflow on the server.
  if (typeof rank !== 'number' || !(rank >= 0 && rank <= FLOAT4_MAX)) throw invalid()
  if (
    createdUs !== null &&
    (typeof createdUs !== 'string' || !/^-?\d{1,19}$/.test(createdUs) || !inDateRange(createdUs))
  )
    throw invalid()
  if (typeof id !== 'string' || !isUuid(id)) throw invalid()
  return {sort, rank, createdUs, id}
}
