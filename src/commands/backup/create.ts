import * as Flags from '@oclif/core/flags'
import {createBackup} from '../../backup/create.js'
import {BaseCommand} from '../../base-command.js'
import {progressNotes} from '../../output/messages.js'
import {boundedInteger, connectionFlags, outputFlags} from '../../shared-flags.js'
import {ensureDirectory} from '../../util/files.js'

export default class BackupCreate extends BaseCommand {
  static override summary = 'Dump the database with pg_dump, plus a manifest of what the dump must contain.'
  static override description = `Writes <database>_<UTC time>.dump (pg_dump -Fc; with --jobs: a -Fd directory .dir) and <file>.manifest.json beside it:
sha256, size, server and pg_dump versions, migrations applied, the schema contract, and the row count of every table and
of every organization in the tenant tables, all taken in the dump's snapshot. The dump appears under its name only when complete.
The password reaches pg_dump through PGPASSWORD in its environment only. Exit 3 when pg_dump is missing or older than the server.`
  static override examples = [
    '<%= config.bin %> backup create --dir /var/backups/fluxstudio',
    'FLUXADMIN_BACKUP_DIR=/var/backups/fluxstudio <%= config.bin %> backup create --jobs 4 --format json',
  ]
  static override flags = {
    ...connectionFlags,
    ...outputFlags,
    dir: Flags.string({
      summary: 'Directory for the dump and its manifest (created, 0700, if its parent exists).',
      required: true,
      env: 'FLUXADMIN_BACKUP_DIR',
    }),
    jobs: boundedInteger({
      summary: 'Directory format with this many parallel pg_dump jobs (default: one -Fc file).',
      min: 1,
      max: 64,
      env: 'FLUXADMIN_BACKUP_JOBS',
    }),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(BackupCreate)
    await ensureDirectory(flags.dir)
    const session = await this.connect(flags)
    const onProgress = progressNotes()
    const created = await createBackup(session, {dir: flags.dir, jobs: flags.jobs, onProgress})
    await this.output([created], flags, {
      columns: ['file', 'format', 'database', 'size_bytes', 'sha256', 'tables', 'rows', 'duration_ms'],
    })
  }
}
