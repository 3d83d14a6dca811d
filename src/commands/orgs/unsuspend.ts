import {MutationCommand} from '../../tenants/command.js'
import {setOrgSuspended} from '../../tenants/orgs.js'
import {changeFlags, orgArg} from '../../tenants/tenant-flags.js'

export default class OrgsUnsuspend extends MutationCommand {
  static override summary = 'Set a suspended organization back to active (revoked sessions stay revoked).'
  static override examples = [
    '<%= config.bin %> orgs unsuspend north-high',
    '<%= config.bin %> orgs unsuspend north-high --dry-run',
  ]
  static override args = {org: orgArg}
  static override flags = changeFlags

  async run(): Promise<void> {
    const {args, flags} = await this.parse(OrgsUnsuspend)
    const session = await this.connect(flags)
    await this.outputChanges(
      await setOrgSuspended(session, args.org, false, {dryRun: flags['dry-run'], actor: flags.actor}),
      flags,
    )
  }
}
