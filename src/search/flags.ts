import {Flags, type Interfaces} from '@oclif/core'
import {MAX_LIMIT, MESSAGE_TYPES, SORTS, type SearchOptions, type SearchSort} from './messages.js'

/** Filter, sort and paging flags of `search messages`. */
export const searchFlags = {
  org: Flags.string({summary: 'Only this organization (slug or UUID).', env: 'FLUXADMIN_ORG', helpGroup: 'FILTER'}),
  conversation: Flags.string({summary: 'Only this conversation (UUID).', helpGroup: 'FILTER'}),
  author: Flags.string({summary: 'Only messages by this user (email or UUID).', helpGroup: 'FILTER'}),
  since: Flags.string({summary: 'Only messages from this time on: a duration ago (2h, 7d) or an ISO date.', helpGroup: 'FILTER'}),
  until: Flags.string({summary: 'Only messages before this time: a duration ago or an ISO date.', helpGroup: 'FILTER'}),
  type: Flags.option({options: [...MESSAGE_TYPES], summary: 'Only this message type.', helpGroup: 'FILTER'})(),
  'include-deleted': Flags.boolean({summary: 'Include soft-deleted messages.', helpGroup: 'FILTER'}),
  sort: Flags.option({options: [...SORTS], default: 'rank' as SearchSort, summary: 'rank: best match first (newest breaks ties); newest: newest first.'})(),
  limit: Flags.integer({summary: 'Rows per page.', default: 20, min: 1, max: MAX_LIMIT, env: 'FLUXADMIN_LIMIT'}),
  after: Flags.string({summary: 'Continue after this cursor (printed at the end of the previous page).'}),
}

type SearchFlagValues = Partial<Interfaces.InferredFlags<typeof searchFlags>>

/** The flag values as domain options; QUERY "-" is read from stdin (so any bytes can be searched for). */
export async function searchInput(query: string, flags: SearchFlagValues): Promise<SearchOptions> {
  let text = query
  if (query === '-') {
    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '')
  }
  return {
    query: text, org: flags.org, conversation: flags.conversation, author: flags.author, since: flags.since, until: flags.until,
    type: flags.type, includeDeleted: flags['include-deleted'], sort: flags.sort, limit: flags.limit, after: flags.after,
  }
}
