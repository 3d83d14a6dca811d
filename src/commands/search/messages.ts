import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../base-command.js'
import {useColor} from '../../output/format.js'
import {nextPage, note} from '../../output/messages.js'
import {countMessages, explainSearch, searchMessages} from '../../search/messages.js'
import {fitSnippet, searchFlags, searchInput} from '../../search/search-flags.js'
import {connectionFlags, outputFlags, replicaFlags} from '../../shared-flags.js'

export default class SearchMessages extends BaseCommand {
  static override summary = 'Full-text search of messages: ranked, filtered, highlighted, paged with a cursor.'
  static override description = `QUERY uses web search syntax: words, "quoted phrases", or, -exclude (never raw tsquery); "-" reads it from stdin;
a query that starts with "-" goes after "--" (search messages -- "-draft poster").
Soft-deleted messages are left out unless --include-deleted. Each page ends with "next page: --cursor CURSOR" on stderr when there is more.`
  static override examples = [
    '<%= config.bin %> search messages \'invoice "final proof" -draft\' --org acme-studio --since 7d',
    '<%= config.bin %> search messages refund --author ana@example.com --sort newest --limit 50 --format json',
    '<%= config.bin %> search messages poster --count',
    '<%= config.bin %> search messages poster --org acme-studio --explain',
  ]
  static override args = {query: Args.string({required: true, description: 'what to search for ("-" reads stdin)'})}
  static override flags = {
    ...connectionFlags,
    ...replicaFlags,
    ...outputFlags,
    ...searchFlags,
    count: Flags.boolean({summary: 'Print only the number of matches.', exclusive: ['explain']}),
    explain: Flags.boolean({
      summary: 'Print the plan (EXPLAIN ANALYZE, BUFFERS) and whether the full-text index is used.',
    }),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(SearchMessages)
    const input = await searchInput(args.query, flags)
    const session = await this.connectForReads(flags)
    if (flags.count) {
      await this.output([{matches: await countMessages(session, input)}], flags, {columns: ['matches']})
    } else if (flags.explain) {
      const plan = await explainSearch(session, input)
      await this.output(plan.lines, flags, {columns: [{key: 'query_plan', indent: true}]})
      note(plan.note ?? 'idx_messages_content_search is used')
    } else {
      const bold = this.outputFormat(flags) === 'table' && !flags.out && useColor(process.stdout)
      const page = await searchMessages(session, {
        ...input,
        markers: bold ? {start: '\u001B[1m', stop: '\u001B[22m'} : undefined,
      })
      const width = bold ? Math.max(20, Math.floor((process.stdout.columns || 120) / 2)) : 0
      const snippet = {key: 'snippet', display: (v: unknown) => fitSnippet(String(v ?? ''), width)}
      await this.output(page.rows, flags, {
        columns: ['message_id', 'created_at', 'org', 'conversation', 'author', snippet, 'rank'],
      })
      if (page.next) nextPage(page.next)
    }
  }
}
