import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {createRestorePoint} from '../../backup/restore-point.js'
import {BaseCommand} from '../../base-command.js'
import {connectionFlags, outputFlags} from '../../shared-flags.js'

export default class BackupRestorePoint extends BaseCommand {
  static override summary =
    'Create a named restore point in the WAL, with a manifest of what the database holds at that moment.'
  static override description = `Runs pg_create_restore_point(NAME) on the primary as the first statement of a repeatable-read transaction and, in
its snapshot, records the migrations, the schema contract and the row count of every table and of every organization in
DIR/NAME.restore-point.json (written atomically). \`backup pitr verify --restore-point NAME --dir DIR\` proves a recovery
to it against this manifest. Needs a superuser (or EXECUTE on pg_create_restore_point) and wal_level replica. Audited.`
  static override examples = [
    '<%= config.bin %> backup restore-point before-migration-42 --dir /var/backups/fluxstudio/restore-points',
  ]
  static override args = {
    name: Args.string({description: 'restore point name (letters, digits, ".", "_", "-")', required: true}),
  }
  static override flags = {
    ...connectionFlags,
    ...outputFlags,
    dir: Flags.string({
      summary: 'Directory for the restore point manifest (created, 0700, if its parent exists).',
      required: true,
      env: 'FLUXADMIN_RESTORE_POINT_DIR',
    }),
    actor: Flags.string({summary: 'Who creates the restore point, for the audit trail.', env: 'FLUXADMIN_ACTOR'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(BackupRestorePoint)
    const session = await this.connect(flags)
    const created = await createRestorePoint(session, {name: args.name, dir: flags.dir, actor: flags.actor})
    await this.output([created], flags, {
      columns: ['name', 'lsn', 'timeline', 'created_at', 'database', 'tables', 'rows', 'manifest'],
    })
  }
}
