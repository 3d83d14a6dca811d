import * as Flags from '@oclif/core/flags'
import {pruneBackups} from '../../backup/retention.js'
import {BaseCommand} from '../../base-command.js'
import {confirm} from '../../output/confirm.js'
import {boundedInteger, mutationFlags, outputFlags} from '../../shared-flags.js'

export default class BackupPrune extends BaseCommand {
  static override summary =
    'Delete backups past the retention: dailies for --keep-daily days, weeklies for --keep-weekly days.'
  static override description =
    'Keeps every backup younger than --keep-daily days and the newest of each ISO week younger than --keep-weekly days; never deletes the newest backup or the newest verified one.'
  static override examples = [
    '<%= config.bin %> backup prune --dir /var/backups/fluxstudio --dry-run',
    '<%= config.bin %> backup prune --dir /var/backups/fluxstudio --keep-daily 30 --keep-weekly 90 --yes',
  ]
  static override flags = {
    ...outputFlags,
    'dry-run': mutationFlags['dry-run'],
    yes: mutationFlags.yes,
    dir: Flags.string({
      summary: 'Directory that `backup create` writes to.',
      required: true,
      env: 'FLUXADMIN_BACKUP_DIR',
    }),
    'keep-daily': boundedInteger({
      summary: 'Keep every backup younger than this many days.',
      default: 30,
      min: 0,
      max: 36_500,
      env: 'FLUXADMIN_KEEP_DAILY',
    }),
    'keep-weekly': boundedInteger({
      summary: 'Keep the newest backup of each week younger than this many days.',
      default: 90,
      min: 0,
      max: 36_500,
      env: 'FLUXADMIN_KEEP_WEEKLY',
    }),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(BackupPrune)
    const rows = await pruneBackups(flags.dir, {
      keepDailyDays: flags['keep-daily'],
      keepWeeklyDays: flags['keep-weekly'],
      dryRun: flags['dry-run'],
      confirm: (what) => confirm(what, {yes: flags.yes}),
    })
    await this.output(rows, flags, {columns: ['file', 'created_at', 'age_s', 'verified', 'action', 'reason']})
  }
}
