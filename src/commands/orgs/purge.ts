import * as Flags from '@oclif/core/flags'
import {lifecycleFlags} from '../../lifecycle/archive-flags.js'
import {LifecycleCommand} from '../../lifecycle/command.js'
import {purgeOrg} from '../../lifecycle/purge.js'
import {confirm} from '../../output/confirm.js'
import {orgArg} from '../../tenants/tenant-flags.js'

export default class OrgsPurge extends LifecycleCommand {
  static override summary =
    'Delete a suspended organization and everything that belongs to it, for good, in small batches.'
  static override description = `Refused (exit 2) unless the organization is suspended. Each batch is its own short transaction with lock_timeout;
after an interruption, run the same command again: it continues. Members who belong to no other organization are deleted too
(unless --keep-users). One audit row remains, with the counts and no personal data.`
  static override examples = [
    '<%= config.bin %> orgs purge north-high --dry-run',
    '<%= config.bin %> orgs purge north-high --yes --keep-users',
  ]
  static override args = {org: orgArg}
  static override flags = {
    ...lifecycleFlags,
    'keep-users': Flags.boolean({summary: 'Keep the users (their memberships still go).'}),
    'batch-size': Flags.integer({summary: 'Rows per batch (per transaction).', default: 1000, min: 1, max: 100_000}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(OrgsPurge)
    if (
      !(await confirm(`delete organization ${args.org} and all its data for good`, {
        yes: flags.yes,
        dryRun: flags['dry-run'],
      }))
    )
      return
    const session = await this.connect(flags)
    const changes = await purgeOrg(session, args.org, {
      dryRun: flags['dry-run'],
      keepUsers: flags['keep-users'],
      batchSize: flags['batch-size'],
      actor: flags.actor,
      onBatch: this.progress('deleted'),
    })
    await this.outputChanges(changes, flags)
  }
}
