import * as Flags from '@oclif/core/flags'
import {confirm} from '../../output/confirm.js'
import {MutationCommand} from '../../tenants/command.js'
import {setOrgSuspended} from '../../tenants/orgs.js'
import {changeFlags, orgArg} from '../../tenants/tenant-flags.js'

export default class OrgsSuspend extends MutationCommand {
  static override summary =
    'Suspend an organization and revoke the sessions of members who belong to no other active organization.'
  static override description =
    'Use --dry-run first: it lists the status change and every session that would be revoked.'
  static override examples = [
    '<%= config.bin %> orgs suspend north-high --reason "unpaid invoice" --dry-run',
    '<%= config.bin %> orgs suspend north-high --reason "unpaid invoice" --yes',
  ]
  static override args = {org: orgArg}
  static override flags = {
    ...changeFlags,
    reason: Flags.string({summary: 'Why (kept in the organization settings and the audit trail).', required: true}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(OrgsSuspend)
    if (
      !(await confirm(`suspend ${args.org} and revoke its members' sessions`, {
        yes: flags.yes,
        dryRun: flags['dry-run'],
      }))
    )
      return
    const session = await this.connect(flags)
    await this.outputChanges(
      await setOrgSuspended(session, args.org, true, {
        dryRun: flags['dry-run'],
        actor: flags.actor,
        reason: flags.reason,
      }),
      flags,
    )
  }
}
