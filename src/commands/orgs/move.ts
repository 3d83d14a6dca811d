import * as Flags from '@oclif/core/flags'
import {PART_COLUMNS, lifecycleFlags} from '../../lifecycle/archive-flags.js'
import {LifecycleCommand} from '../../lifecycle/command.js'
import {moveOrg} from '../../lifecycle/move.js'
import {confirm} from '../../output/confirm.js'
import {note} from '../../output/messages.js'
import {orgArg} from '../../tenants/tenant-flags.js'

export default class OrgsMove extends LifecycleCommand {
  static override summary =
    'Move a suspended organization to another database: export, import, verify, and with --delete-source purge the source.'
  static override description = `The organization must be suspended (exit 2 otherwise): writes during the copy would be lost.
The import runs in one transaction on the target and commits only when every table's row count and checksum there match the source's snapshot.
Both databases get an audit row with the same move id. The source is purged only with --delete-source, and only after the verification passed.`
  static override examples = [
    '<%= config.bin %> orgs move north-high --to postgres://ops@shard-2/fluxstudio --dry-run',
    '<%= config.bin %> orgs move north-high --to postgres://ops@shard-2/fluxstudio --delete-source --yes',
  ]
  static override args = {org: orgArg}
  static override flags = {
    ...lifecycleFlags,
    to: Flags.string({
      summary: 'The target database URL (migrated to the same version).',
      required: true,
      env: 'FLUXADMIN_MOVE_TO',
    }),
    'delete-source': Flags.boolean({summary: 'Purge the organization from the source once the copy is verified.'}),
    'work-dir': Flags.string({summary: 'Directory for the temporary archive (default: the system temp directory).'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(OrgsMove)
    if (
      !(await confirm(`move ${args.org}${flags['delete-source'] ? ' and delete it from the source' : ''}`, {
        yes: flags.yes,
        dryRun: flags['dry-run'],
      }))
    )
      return
    const source = await this.connect(flags)
    const target = await this.connect({...flags, 'db-url': flags.to})
    const onStep = process.stderr.isTTY ? (step: string) => note(step) : undefined
    const result = await moveOrg(source, target, args.org, {
      dryRun: flags['dry-run'],
      deleteSource: flags['delete-source'],
      actor: flags.actor,
      workDir: flags['work-dir'],
      onStep,
    })
    await this.output(result.parts, flags, {columns: PART_COLUMNS.filter((c) => c !== 'file')})
    note(
      flags['dry-run']
        ? `dry run: copied and verified on the target, rolled back (move ${result.moveId})`
        : `moved and verified (move ${result.moveId})${result.purged ? '; source purged' : ''}`,
    )
  }
}
