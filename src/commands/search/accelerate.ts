import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../base-command.js'
import {confirm} from '../../output/confirm.js'
import {backfillProgressLine} from '../../output/progress.js'
import {accelerate, acceleratorStatus, removeAccelerator} from '../../search/accelerator.js'
import {connectionFlags, mutationFlags, outputFlags} from '../../shared-flags.js'

export default class SearchAccelerate extends BaseCommand {
  static override summary =
    "Opt-in: store each message's search vector so ranking over all organizations reads it instead of recomputing it."
  static override description = `Adds a nullable tsvector column to messages (catalog only, no rewrite) and a trigger that fills it on insert and on a
change of content, backfills existing rows in short transactions (lock_timeout; progress with rows/s and ETA on a terminal),
and only then switches ranking to the column. Rerun after an interruption: it continues. Results are identical either way.
--status shows the state, the backfill and the storage; --undo removes trigger and column.`
  static override examples = [
    '<%= config.bin %> search accelerate --dry-run',
    '<%= config.bin %> search accelerate --yes --batch-size 10000',
    '<%= config.bin %> search accelerate --status',
    '<%= config.bin %> search accelerate --undo --yes',
  ]
  static override flags = {
    ...connectionFlags,
    ...outputFlags,
    ...mutationFlags,
    status: Flags.boolean({
      summary: 'Show the state, rows filled and missing, and the bytes the stored vectors take.',
      exclusive: ['undo', 'dry-run'],
    }),
    undo: Flags.boolean({
      summary: 'Remove the accelerator: ranking recomputes the vector again; trigger and column are dropped.',
    }),
    'batch-size': Flags.integer({summary: 'Rows per backfill transaction.', default: 5000, min: 100, max: 100_000}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(SearchAccelerate)
    const options = {dryRun: flags['dry-run'], actor: flags.actor}
    if (
      !flags.status &&
      !(await confirm(
        flags.undo
          ? 'remove the search accelerator (drop messages.search_vector)'
          : 'add messages.search_vector and backfill it',
        {yes: flags.yes, dryRun: flags['dry-run']},
      ))
    )
      return
    const session = await this.connect(flags)
    if (flags.status) {
      await this.output([await acceleratorStatus(session)], flags)
    } else if (flags.undo) {
      await this.output([await removeAccelerator(session, options)], flags)
    } else {
      const onProgress = process.stderr.isTTY ? backfillProgressLine(process.stderr) : undefined
      await this.output([await accelerate(session, {...options, batchSize: flags['batch-size'], onProgress})], flags)
    }
  }
}
