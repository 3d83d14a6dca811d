import type {Interfaces} from '@oclif/core'
import * as Flags from '@oclif/core/flags'
import {boundedInteger, cursorFlag} from '../shared-flags.js'
import {oneLine} from '../util/text.js'
import {MAX_LIMIT, MESSAGE_TYPES, SORTS, type SearchOptions, type SearchSort} from './messages.js'

/** Filter, sort and paging flags of `search messages`. */
export const searchFlags = {
  org: Flags.string({summary: 'Only this organization (slug or UUID).', env: 'FLUXADMIN_ORG', helpGroup: 'FILTER'}),
  conversation: Flags.string({summary: 'Only this conversation (UUID).', helpGroup: 'FILTER'}),
  author: Flags.string({summary: 'Only messages by this user (email or UUID).', helpGroup: 'FILTER'}),
  since: Flags.string({
    summary: 'Only messages from this time on: a duration ago (2h, 7d) or an ISO date.',
    helpGroup: 'FILTER',
  }),
  until: Flags.string({summary: 'Only messages before this time: a duration ago or an ISO date.', helpGroup: 'FILTER'}),
  type: Flags.option({options: [...MESSAGE_TYPES], summary: 'Only this message type.', helpGroup: 'FILTER'})(),
  'include-deleted': Flags.boolean({summary: 'Include soft-deleted messages.', helpGroup: 'FILTER'}),
  sort: Flags.option({
    options: [...SORTS],
    default: 'rank' as SearchSort,
    summary: 'rank: best match first (newest breaks ties); newest: newest first.',
  })(),
  limit: boundedInteger({summary: 'Rows per page.', default: 20, min: 1, max: MAX_LIMIT}),
  cursor: cursorFlag,
}

type SearchFlagValues = Partial<Interfaces.InferredFlags<typeof searchFlags>>

/** The flag values as domain options; QUERY "-" is read from stdin (so any bytes can be searched for). */
export async function searchInput(query: string, flags: SearchFlagValues): Promise<SearchOptions> {
  let text = query
  if (query === '-') {
    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    text = Buffer.concat(chunks)
      .toString('utf8')
      .replace(/\r?\n$/, '')
  }
  return {
    query: text,
    org: flags.org,
    conversation: flags.conversation,
    author: flags.author,
    since: flags.since,
    until: flags.until,
    type: flags.type,
    includeDeleted: flags['include-deleted'],
    sort: flags.sort,
    limit: flags.limit,
    after: flags.cursor,
  }
}

const BOLD = '\u001B[1m'
const UNBOLD = '\u001B[22m'

/**
 * Shortens a snippet with ANSI bold markers to at most max characters, escapes included (the table
 * renderer cuts longer cells by raw length, and could cut an escape in half or leave bold on).
 */
export function fitSnippet(text: string, max: number): string {
  let flat = oneLine(text)
  if (max <= 0 || flat.length <= max) return flat
  let out = ''
  // Keep the first highlighted word in view: start a few words before it.
  const first = flat.indexOf(BOLD)
  if (first > max / 3) {
    const from = flat.lastIndexOf(' ', first - Math.floor(max / 4))
    flat = flat.slice(from < 0 ? first : from + 1)
    out = '…'
  }
  const budget = max - 1 - UNBOLD.length // room for the closing escape and the ellipsis
  let bold = false
  let cut = false
  for (const part of flat.split(/(\u001B\[[0-9;]*m)/)) {
    if (part === BOLD || part === UNBOLD) {
      if (part === BOLD && out.length + part.length >= budget) {
        cut = true
        break
      }
      out += part
      bold = part === BOLD
      continue
    }
    const room = budget - out.length
    out += part.slice(0, Math.max(0, room))
    if (part.length > room) {
      cut = true
      break
    }
  }
  return out + (bold && cut ? UNBOLD : '') + (cut ? '…' : '')
}
