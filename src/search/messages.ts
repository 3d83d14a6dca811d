import type pg from 'pg'
import {decodeCursor, encodeCursor} from '../input/keyset-cursor.js'
import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {FluxError, notFound, usageError} from '../errors.js'
import {normalizeUuid} from '../input/validate.js'
import {parseSince} from '../util/time.js'
import {layoutQuery} from '../schema/citus-layout.js'

export const MESSAGE_TYPES = ['text', 'file', 'image', 'system'] as const
export const SORTS = ['rank', 'newest'] as const
export type SearchSort = (typeof SORTS)[number]

/** What `search messages` takes: the raw user text and flag values, validated here. */
export interface SearchFilters {
  query: string
  /** Organization slug or UUID. */
  org?: string
  conversation?: string
  /** Author email or UUID. */
  author?: string
  /** A duration ago (`2h`, `7d`) or an ISO date; inclusive. */
  since?: string
  /** Same forms as since; exclusive. */
  until?: string
  type?: string
  includeDeleted?: boolean
}

export interface SearchOptions extends SearchFilters {
  sort?: SearchSort
  limit?: number
  /** Opaque cursor from the previous page (`next` of its result). */
  after?: string
  /** Put around each matched word in the snippet, e.g. ANSI bold on a terminal, `[[`/`]]` otherwise. */
  markers?: {start: string; stop: string}
}

export interface MessageHit {
  message_id: string
  created_at: Date | null
  org: string
  conversation: string
  author: string
  snippet: string
  rank: number
}

export interface SearchPage {
  rows: MessageHit[]
  /** Cursor for the next page, when there is one. */
  next?: string
}

const DEFAULT_MARKERS = {start: '[[', stop: ']]'}
export const MAX_LIMIT = 1000
const MAX_QUERY_CHARS = 64 * 1024
/** Ranking and highlighting cost grows with the square of the query's size: 32 words is plenty. */
const MAX_QUERY_NODES = 63

/** One page of matches, best first (or newest first), after the cursor if one is given. */
export async function searchMessages(session: Session, options: SearchOptions): Promise<SearchPage> {
  const {sort, limit, rest} = pageParams(options)
  return inTransaction(session, 'read', async (client) => {
    const {rows} = await client.query((await layoutQuery(client, 'search/messages')).text, [
      ...(await filterParams(client, options)),
      ...rest,
    ])
    const page = rows.slice(0, limit)
    const last = page.at(-1)
    const next =
      rows.length > limit && last
        ? encodeCursor({sort, rank: last.sort_rank, createdUs: last.created_us, id: last.message_id})
        : undefined
    return {rows: page.map(({sort_rank: _r, created_us: _c, ...hit}) => hit as MessageHit), next}
  })
}

/** How many messages match (every page together). */
export async function countMessages(session: Session, filters: SearchFilters): Promise<number> {
  return inTransaction(session, 'read', async (client) => {
    const {
      rows: [row],
    } = await client.query((await layoutQuery(client, 'search/count')).text, await filterParams(client, filters))
    return Number(row.matches)
  })
}

export interface ExplainResult {
  lines: Array<{query_plan: string}>
  usesIndex: boolean
  /** Why the full-text index was not used, when it was not. */
  note?: string
}

/** Runs the search under EXPLAIN (ANALYZE, BUFFERS) and says whether idx_messages_content_search was used. */
export async function explainSearch(session: Session, options: SearchOptions): Promise<ExplainResult> {
  const {rest} = pageParams(options)
  return inTransaction(session, 'read', async (client) => {
    const search = await layoutQuery(client, 'search/messages')
    if (search.name.startsWith('search-citus/')) await client.query(query('search-citus/explain-settings').text)
    // The page query itself, under EXPLAIN: constant text, every value still a bind parameter.
    const sql = `EXPLAIN (ANALYZE, BUFFERS) ${search.text}`
    const {rows} = await client.query<{'QUERY PLAN': string}>(sql, [...(await filterParams(client, options)), ...rest])
    const lines = rows.map((r) => ({query_plan: r['QUERY PLAN']}))
    const usesIndex = lines.some((l) => l.query_plan.includes('idx_messages_content_search'))
    return {lines, usesIndex, note: usesIndex ? undefined : whyNoIndex(lines.map((l) => l.query_plan))}
  })
}

function whyNoIndex(plan: string[]): string {
  const scan = plan.find((l) => /Index Scan|Seq Scan on messages/.test(l))?.trim()
  return (
    `idx_messages_content_search was not used: the planner estimated another path to be cheaper${scan ? ` (${scan.replace(/\s+\(.*$/, '')})` : ''}; ` +
    'this happens when most messages match (a common word) or another filter is far more selective; if the statistics are stale, run ANALYZE messages'
  )
}

/** Sort, page size and cursor as $9..$15 of search/messages (one row more than asked, to know whether there is a next page). */
function pageParams(options: SearchOptions): {sort: SearchSort; limit: number; rest: unknown[]} {
  const sort = options.sort ?? 'rank'
  if (!(SORTS as readonly string[]).includes(sort))
    throw usageError(`invalid --sort "${sort}"`, `use one of ${SORTS.join(', ')}`)
  const limit = options.limit ?? 20
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw usageError(`invalid --limit ${limit}`, `use a whole number from 1 to ${MAX_LIMIT}`)
  const after = options.after === undefined ? undefined : decodeCursor(options.after, sort)
  const markers = options.markers ?? DEFAULT_MARKERS
  return {
    sort,
    limit,
    rest: [sort, after?.rank ?? 0, after?.createdUs ?? null, after?.id ?? null, limit + 1, markers.start, markers.stop],
  }
}

/** Validates the query and filters and turns them into $1..$8 of search/messages and search/count. */
async function filterParams(client: pg.ClientBase, f: SearchFilters): Promise<unknown[]> {
  for (const [name, value] of Object.entries(f)) {
    if (typeof value === 'string' && value.includes('\0'))
      throw usageError(
        `${name === 'query' ? 'the search query' : `--${name}`} contains a NUL byte`,
        'PostgreSQL text cannot hold NUL (0x00) characters; remove them',
      )
  }
  if (f.query.length > MAX_QUERY_CHARS)
    throw usageError(
      `the search query is too long (${f.query.length} characters)`,
      `use at most ${MAX_QUERY_CHARS} characters`,
    )
  await checkQuery(client, f.query)
  if (f.type !== undefined && !(MESSAGE_TYPES as readonly string[]).includes(f.type))
    throw usageError(`invalid --type "${f.type}"`, `use one of ${MESSAGE_TYPES.join(', ')}`)
  const conversation = f.conversation === undefined ? null : normalizeUuid(f.conversation)
  if (conversation === undefined)
    throw usageError(`invalid --conversation "${f.conversation}"`, 'a conversation is named by its UUID')
  const since = f.since === undefined ? null : parseSince(f.since, '--since')
  const until = f.until === undefined ? null : parseSince(f.until, '--until')
  if (since && until && since >= until) throw usageError('--since is not before --until', 'the time window is empty')
  const org = f.org === undefined ? null : await resolveOne(client, 'search/resolve-org', f.org, 'organization')
  const author = f.author === undefined ? null : await resolveOne(client, 'search/resolve-author', f.author, 'author')
  return [f.query, org, conversation, author, since, until, f.type ?? null, f.includeDeleted ?? false]
}

async function checkQuery(client: pg.ClientBase, text: string): Promise<void> {
  let nodes: number
  try {
    // No savepoint: an error here ends the (read-only) transaction anyway, as a usage error.
    ;({
      rows: [{nodes}],
    } = await client.query(query('search/query-terms').text, [text]))
  } catch (error) {
    const code = (error as {code?: string}).code ?? ''
    // Data exceptions (22xxx) and program limits (54xxx): the text itself cannot become a query.
    if (!/^(22|54)/.test(code)) throw error
    throw usageError(
      `the search query cannot be used: ${(error as Error).message}`,
      'use plain words, "quoted phrases", or and -exclude',
    )
  }
  if (nodes === 0) {
    throw usageError(
      'the search query has no searchable words',
      'it is empty or only stopwords (the, a, and, ...); add a distinctive word, or "quote a phrase"',
    )
  }
  if (nodes > MAX_QUERY_NODES) {
    throw usageError(
      `the search query is too long (${Math.ceil(nodes / 2)} search terms)`,
      `use at most ${Math.ceil(MAX_QUERY_NODES / 2)} words: the most distinctive ones`,
    )
  }
}

async function resolveOne(
  client: pg.ClientBase,
  sql: 'search/resolve-org' | 'search/resolve-author',
  value: string,
  what: string,
): Promise<string> {
  if (!value.trim())
    throw usageError(
      `the ${what} is empty`,
      what === 'author' ? '--author takes an email or a user UUID' : '--org takes a slug or an organization UUID',
    )
  // 32 hex digits are a UUID without its dashes and a valid slug too: both are looked up (two rows: ambiguous).
  const id = normalizeUuid(value) ?? null
  const {rows} = await client.query<{id: string}>(query(sql).text, [id, id && value.includes('-') ? null : value])
  if (rows.length === 0) {
    const flag = what === 'author' ? '--author' : '--org'
    throw notFound(
      `${what} "${value}" not found`,
      `${flag} takes ${what === 'author' ? 'an email or a user UUID' : 'a slug or an organization UUID'}`,
    )
  }
  if (rows.length > 1) throw new FluxError(`${what} "${value}" is ambiguous`, {kind: 'usage', hint: 'use the UUID'})
  return rows[0].id
}
