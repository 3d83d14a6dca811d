import {BaseCommand} from '../../base-command.js'
import {connectionFlags, mutationFlags, outputFlags} from '../../shared-flags.js'
import {confirm} from '../../output/confirm.js'
import {note} from '../../output/messages.js'
import {ADVICE_COLUMNS, VERIFY_COLUMNS, adviceNotes} from '../../advise/columns.js'
import {adviseIndexes} from '../../advise/advise.js'
import {adviseFlags, adviseOptions, verifyQuestion} from '../../advise/advise-flags.js'

export default class StatsAdvise extends BaseCommand {
  static override summary =
    'Suggest btree indexes for the top statements, each proven with a hypothetical index (HypoPG); --verify builds and times it.'
  static override description = `Candidates come from each statement's plan: equality, IN, IS NULL and range filters, join keys, ORDER BY (with DESC) and LIMIT.
A suggestion needs HypoPG to show its cost dropping by --min-saving percent or more, with the plan using it; an index whose
columns lead an existing one is never suggested. $1 statements are costed by their generic plan (EXPLAIN (GENERIC_PLAN) on
PostgreSQL 16+, PREPARE with plan_cache_mode = force_generic_plan before), or with values from pg_stats' most common values
where the generic plan's cost is more than 2x off (method mcv). Ranked by the time saved per day (mean x calls x saving);
write_ms_per_day estimates the index's upkeep from the table's inserts and non-HOT updates per minute.
--verify builds each index CONCURRENTLY (audited), runs its statements with 20 parameter sets from pg_stats (or --params FILE)
in READ ONLY transactions, prints p50/p95 before and after, and drops it unless --keep. Exit 2 without HypoPG.`
  static override examples = [
    '<%= config.bin %> stats advise',
    '<%= config.bin %> stats advise --min-calls 100 --min-time 10s --min-saving 30',
    '<%= config.bin %> stats advise --queryid 4711234567 --verify --yes',
    '<%= config.bin %> stats advise --query "SELECT * FROM messages WHERE conversation_id = $1 ORDER BY created_at DESC LIMIT 20"',
  ]
  static override flags = {
    ...connectionFlags,
    ...outputFlags,
    ...mutationFlags,
    ...adviseFlags,
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(StatsAdvise)
    const session = await this.connect(flags)
    const result = await adviseIndexes(session, adviseOptions(flags))
    for (const line of adviceNotes(result, Boolean(flags.verify))) note(line)
    const verify =
      flags.verify &&
      result.suggestions.length > 0 &&
      !flags['dry-run'] &&
      (await confirm(verifyQuestion(result, session.target.database, flags.keep), {yes: flags.yes}))
    if (!verify) {
      await this.output(result.suggestions, flags, {
        columns: ADVICE_COLUMNS,
        priority: ['rank', 'index_statement', 'saving_pct', 'saving_ms_per_day', 'statements'],
      })
      return
    }
    const {verifySuggestions} = await import('../../advise/verify.js')
    const verified = await verifySuggestions(session, result, {
      keep: flags.keep,
      paramsFile: flags.params,
      actor: flags.actor,
    })
    await this.output(verified, flags, {
      columns: [...ADVICE_COLUMNS, ...VERIFY_COLUMNS],
      priority: ['rank', 'index_statement', 'p95_before_ms', 'p95_after_ms', 'saving_pct'],
    })
  }
}
