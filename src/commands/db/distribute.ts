import {BaseCommand} from '../../base-command.js'
import {distribute} from '../../citus/distribute.js'
import {connectionFlags, longStatementTimeout, mutationFlags, outputFlags, shardCountFlag} from '../../shared-flags.js'
import {note} from '../../output/messages.js'
import {progressBar} from '../../output/progress.js'

export default class DbDistribute extends BaseCommand {
  static override summary =
    'Turn a migrated FluxStudio database on a Citus coordinator into the distributed layout, with proof that no row moved out of place.'
  static override description = `Adds organization_id where a tenant table lacks it, puts it in front of every primary key, unique constraint and foreign key between tenant tables, makes users, organizations, refresh_tokens and security_events reference tables and distributes every tenant table by organization_id, co-located (docs/citus.md).
One transaction: interrupted at any point (even kill -9) nothing has changed, and a rerun does it all. It commits only when every table's and every organization's row counts are equal before and after, and prints them. A second run says the database is already distributed and exits 0.
Rows without an organization, or referring to another organization's rows, are listed and refused (exit 2, nothing changed). On plain PostgreSQL or a coordinator without workers: exit 2.`
  static override examples = [
    '<%= config.bin %> db distribute --dry-run',
    '<%= config.bin %> db distribute --shard-count 64 --format json',
  ]
  static override flags = {
    ...connectionFlags,
    'statement-timeout': longStatementTimeout(
      'tables are copied to the workers',
      'FLUXADMIN_DISTRIBUTE_STATEMENT_TIMEOUT',
    ),
    ...outputFlags,
    'dry-run': mutationFlags['dry-run'],
    actor: mutationFlags.actor,
    'shard-count': shardCountFlag,
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(DbDistribute)
    const session = await this.connect(flags)
    const bar = progressBar('db distribute', 'statements')
    let table = ''
    const result = await distribute(session, {
      dryRun: flags['dry-run'],
      shardCount: flags['shard-count'],
      actor: flags.actor,
      onWait: () => note('db migrate or db distribute is running on this database; waiting for it'),
      onStep: (s, total) => {
        if (`${s.phase} ${s.table_name}` !== table) bar?.step((table = `${s.phase} ${s.table_name}`))
        bar?.update(s.step, s.step / total)
      },
    })
    bar?.end()
    const json = this.outputFormat(flags) === 'json'
    if (result.status === 'already distributed') {
      note(`already distributed, nothing to do (${result.layout})`)
      if (json) await this.outputDocument(result, flags)
    } else if (result.status === 'planned') {
      await this.output(result.steps, flags, {columns: ['step', 'phase', 'table_name', 'row_count', 'statement']})
      note(
        `dry run, nothing changed: ${result.steps.length} statements in one transaction; afterwards ${result.layout}`,
      )
    } else {
      if (json) await this.outputDocument(result, flags)
      else
        await this.output(result.proof.tables, flags, {
          columns: ['table_name', 'rows_before', 'rows_after', 'organizations', 'equal'],
        })
      const organizations = new Set(result.proof.organizations.map((o) => o.organization_id)).size
      note(
        `${result.statements} statements committed; every table's row count and each of ${organizations} organizations' row counts per table are equal before and after; ${result.layout}`,
      )
    }
  }
}
