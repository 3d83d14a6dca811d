import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../base-command.js'
import {note} from '../../output/messages.js'
import {migrate} from '../../schema/migrate.js'
import {connectionFlags, outputFlags} from '../../shared-flags.js'

export default class DbMigrate extends BaseCommand {
  static override summary = 'Apply pending schema migrations (idempotent, one transaction, refuses edited files).'
  static override description = 'Runs every sql/schema file not yet recorded in fluxadmin.schema_migrations, under an advisory lock, and records the resulting catalog so that `db status` can detect drift.'
  static override examples = ['<%= config.bin %> db migrate', '<%= config.bin %> db migrate --dry-run --db-url postgres://admin@db.internal/fluxstudio']
  static override flags = {
    ...connectionFlags,
    ...outputFlags,
    'dry-run': Flags.boolean({summary: 'Apply in a transaction, list what would be applied, and roll back.'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(DbMigrate)
    const session = await this.connect(flags)
    const results = await migrate(session, {dryRun: flags['dry-run'], onWait: () => note('another db migrate is running on this database; waiting for it')})
    await this.output(results, flags, {columns: ['version', 'name', 'action']})
  }
}
