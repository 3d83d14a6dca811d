import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../base-command.js'
import {boundedInteger, connectionFlags, mutationFlags, outputFlags} from '../../shared-flags.js'
import {purgeSessions} from '../../tenants/sessions.js'
import {parseDuration} from '../../util/time.js'

export default class SessionsPurge extends BaseCommand {
  static override summary =
    'Delete refresh tokens that expired or were revoked longer ago than --older-than, in short batches.'
  static override examples = [
    '<%= config.bin %> sessions purge --older-than 30d',
    '<%= config.bin %> sessions purge --older-than 90d --dry-run',
  ]
  static override flags = {
    ...connectionFlags,
    ...outputFlags,
    ...mutationFlags,
    'older-than': Flags.string({
      summary: 'Age since expiry or revocation (30d, 12h).',
      default: '30d',
      env: 'FLUXADMIN_PURGE_OLDER_THAN',
    }),
    'batch-size': boundedInteger({
      summary: 'Rows per delete transaction.',
      default: 5000,
      min: 1,
      max: 1_000_000,
      env: 'FLUXADMIN_PURGE_BATCH_SIZE',
    }),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(SessionsPurge)
    const ms = parseDuration(flags['older-than'], '--older-than')
    const session = await this.connect(flags)
    const result = await purgeSessions(session, ms, flags['older-than'], {
      dryRun: flags['dry-run'],
      actor: flags.actor,
      batchSize: flags['batch-size'],
    })
    await this.output([result], flags, {columns: ['deleted', 'batches', 'older_than', 'dry_run']})
  }
}
