import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../base-command.js'
import {note} from '../../output/messages.js'
import {migrateDatabase} from '../../citus/migrate.js'
import {connectionFlags, outputFlags, shardCountFlag} from '../../shared-flags.js'

export default class DbMigrate extends BaseCommand {
  static override summary = 'Apply pending schema migrations (idempotent, one transaction, refuses edited files).'
  static override description =
    'Runs every sql/schema file not yet recorded in fluxadmin.schema_migrations, under an advisory lock, and records the resulting catalog so that `db status` can detect drift. On a Citus coordinator with workers whose tables are empty, it then creates the distributed layout (`db distribute`) too.'
  static override examples = [
    '<%= config.bin %> db migrate',
    '<%= config.bin %> db migrate --dry-run --db-url postgres://admin@db.internal/fluxstudio',
  ]
  static override flags = {
    ...connectionFlags,
    ...outputFlags,
    'dry-run': Flags.boolean({summary: 'Apply in a transaction, list what would be applied, and roll back.'}),
    'shard-count': shardCountFlag,
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(DbMigrate)
    const session = await this.connect(flags)
    const {results, citus} = await migrateDatabase(session, {
      dryRun: flags['dry-run'],
      shardCount: flags['shard-count'],
      onWait: () => note('another db migrate is running on this database; waiting for it'),
    })
    await this.output(results, flags, {columns: ['version', 'name', 'action']})
    if (citus)
      note(
        'note' in citus
          ? citus.note
          : `the tables were empty, so they are distributed already (${citus.distributed.layout})`,
      )
  }
}
