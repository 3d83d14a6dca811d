import * as Flags from '@oclif/core/flags'
import {listAllBackups} from '../../backup/list.js'
import {BaseCommand} from '../../base-command.js'
import {outputFlags} from '../../shared-flags.js'

export default class BackupList extends BaseCommand {
  static override summary =
    "Backups in a directory with size, age and the last verify result, and a pgBackRest stanza's backups."
  static override examples = [
    '<%= config.bin %> backup list --dir /var/backups/fluxstudio',
    '<%= config.bin %> backup list --dir /var/backups/fluxstudio --stanza main --format json',
  ]
  static override flags = {
    ...outputFlags,
    dir: Flags.string({
      summary: 'Directory that `backup create` writes to.',
      required: true,
      env: 'FLUXADMIN_BACKUP_DIR',
    }),
    stanza: Flags.string({
      summary: "Also list this pgBackRest stanza's backups (pgbackrest info).",
      env: 'FLUXADMIN_PGBACKREST_STANZA',
    }),
    'pgbackrest-config': Flags.string({
      summary: "pgBackRest configuration file (default: pgBackRest's own).",
      env: 'FLUXADMIN_PGBACKREST_CONFIG',
    }),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(BackupList)
    const rows = await listAllBackups({dir: flags.dir, stanza: flags.stanza, config: flags['pgbackrest-config']})
    await this.output(rows, flags, {
      columns: [
        'file',
        'database',
        'created_at',
        'age_s',
        'size_bytes',
        'format',
        'verified',
        'verified_at',
        'failed_step',
      ],
    })
  }
}
