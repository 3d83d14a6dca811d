import {decodeCursor, encodeCursor} from '../input/keyset-cursor.js'
import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {usageError} from '../errors.js'
import {findOrg} from '../input/find.js'
import {FILE_METADATA, FILE_METADATA_KEYS} from '../schema/jsonb.js'

export const FILE_COLUMNS = [
  'name',
  'mime_type',
  'size',
  'version',
  'is_latest',
  'project',
  'width',
  'height',
  'dpi',
  'color_profile',
  'layers',
  'created_at',
  'id',
]

export interface FileFilters {
  org: string
  missing?: string
  mime?: string
  limit: number
  after?: string
}

export interface FilePage {
  rows: Array<Record<string, unknown>>
  next?: string
}

/** The paths whose absence `--missing KEY` looks for (every documented field under that key). */
function missingPaths(key: string): string {
  if (!FILE_METADATA_KEYS.includes(key))
    throw usageError(`invalid --missing "${key.slice(0, 200)}"`, `use one of ${FILE_METADATA_KEYS.join(', ')}`)
  return JSON.stringify(FILE_METADATA.filter((f) => f.path.split('.')[0] === key).map((f) => f.path.split('.')))
}

/** One page of an organization's files, newest first; `next` is the cursor of the following page. */
export async function listFiles(session: Session, f: FileFilters): Promise<FilePage> {
  const missing = f.missing ? missingPaths(f.missing) : null
  const after = f.after ? decodeCursor(f.after, 'newest') : null
  return inTransaction(session, 'read', async (client) => {
    const org = await findOrg(client, f.org)
    const {rows} = await client.query(query('tenants/list-files').text, [
      org.id,
      missing,
      f.mime ?? null,
      after?.createdUs ?? null,
      after?.id ?? null,
      f.limit + 1,
    ])
    const page = rows.slice(0, f.limit)
    const last = page.at(-1)
    const next =
      rows.length > f.limit && last
        ? encodeCursor({sort: 'newest', rank: 0, createdUs: last.created_us, id: last.id})
        : undefined
    return {rows: page.map(({created_us: _c, ...file}) => file), next}
  })
}
