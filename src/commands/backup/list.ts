import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../base-command.js'
import {listBackups} from '../../backup/retention.js'
import {outputFlags} from '../../flags.js'

export default class BackupList extends BaseCommand {
  static override summary = 'Backups in a directory with size, age and the last verify result.'
  static override examples = ['<%= config.bin %> backup list --dir /var/backups/fluxstudio', '<%= config.bin %> backup list --dir /var/backups/fluxstudio --format json']
  static override flags = {
    ...outputFlags,
    dir: Flags.string({summary: 'Directory that `backup create` writes to.', required: true, env: 'FLUXADMIN_BACKUP_DIR'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(BackupList)
    await this.output(listBackups(flags.dir), flags, {columns: ['file', 'database', 'created_at', 'age', 'size_bytes', 'size', 'format', 'verified', 'verified_at', 'failed_step']})
  }
}
