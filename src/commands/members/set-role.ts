import * as Args from '@oclif/core/args'
import {MutationCommand} from '../../tenants/command.js'
import {changeMember} from '../../tenants/members.js'
import {changeFlags, orgArg, userArg} from '../../tenants/tenant-flags.js'

export default class MembersSetRole extends MutationCommand {
  static override summary = "Change a member's role in an organization."
  static override examples = ['<%= config.bin %> members set-role north-high ada@example.org owner --dry-run']
  static override args = {
    org: orgArg,
    user: userArg,
    role: Args.string({required: true, description: 'owner, admin, member or viewer'}),
  }
  static override flags = changeFlags

  async run(): Promise<void> {
    const {args, flags} = await this.parse(MembersSetRole)
    const session = await this.connect(flags)
    await this.outputChanges(
      await changeMember(session, 'set-role', args.org, args.user, args.role, {
        dryRun: flags['dry-run'],
        actor: flags.actor,
      }),
      flags,
    )
  }
}
