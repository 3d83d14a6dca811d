import type pg from 'pg'
import {decodeCursor, encodeCursor, type CursorKey} from '../input/keyset-cursor.js'
import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {findOrg, findUser} from '../input/find.js'
import {parseSince} from '../util/time.js'

export const AUDIT_COLUMNS = [
  'created_at',
  'event_type',
  'severity',
  'actor',
  'user_email',
  'description',
  'ip_address',
  'user_agent',
  'metadata',
  'user_id',
  'id',
]
/** What a narrow table keeps longest. */
export const AUDIT_PRIORITY = ['created_at', 'event_type', 'actor', 'description', 'severity', 'user_email']

export interface AuditFilters {
  user?: string
  org?: string
  type?: string
  severity?: string
  since?: string
  until?: string
}

export interface AuditPage {
  rows: Array<Record<string, unknown>>
  next: string | null
}

async function params(client: pg.ClientBase, f: AuditFilters): Promise<unknown[]> {
  const now = new Date()
  return [
    f.user !== undefined ? (await findUser(client, f.user)).id : null,
    f.org !== undefined ? (await findOrg(client, f.org)).id : null,
    f.type ?? null,
    f.severity ?? null,
    f.since !== undefined ? parseSince(f.since, '--since', now) : null,
    f.until !== undefined ? parseSince(f.until, '--until', now) : null,
  ]
}

async function page(
  client: pg.ClientBase,
  base: unknown[],
  cursor: CursorKey | null,
  limit: number,
): Promise<AuditPage> {
  const {rows} = await client.query(query('audit/list-events').text, [
    ...base,
    cursor?.createdUs ?? null,
    cursor?.id ?? null,
    limit + 1,
  ])
  const kept = rows.slice(0, limit)
  const last = kept.at(-1)
  const next =
    rows.length > limit && last
      ? encodeCursor({sort: 'newest', rank: 0, createdUs: last.created_us, id: last.id})
      : null
  return {rows: kept.map(({created_us: _c, ...event}) => event), next}
}

/** One page, newest first; `next` is the cursor for the following page (null on the last). */
export async function listAudit(session: Session, f: AuditFilters, limit: number, cursor?: string): Promise<AuditPage> {
  const after = cursor ? decodeCursor(cursor, 'newest') : null
  return inTransaction(session, 'read', async (client) => page(client, await params(client, f), after, limit))
}

/** Every matching event, newest first, fetched in keyset pages so memory stays flat. */
export async function* exportAudit(
  session: Session,
  f: AuditFilters,
  pageSize = 2000,
): AsyncGenerator<Record<string, unknown>> {
  const base = await inTransaction(session, 'read', (client) => params(client, f))
  let cursor: CursorKey | null = null
  for (;;) {
    const p: AuditPage = await inTransaction(session, 'read', (client) => page(client, base, cursor, pageSize))
    yield* p.rows
    if (!p.next) return
    cursor = decodeCursor(p.next, 'newest')
  }
}
