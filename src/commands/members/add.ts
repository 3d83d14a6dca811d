import * as Flags from '@oclif/core/flags'
import {MutationCommand} from '../../tenants/command.js'
import {changeMember} from '../../tenants/members.js'
import {changeFlags, orgArg, userArg} from '../../tenants/tenant-flags.js'

export default class MembersAdd extends MutationCommand {
  static override summary = 'Add a user to an organization (exit 5 when already a member).'
  static override examples = ['<%= config.bin %> members add north-high ada@example.org --role admin']
  static override args = {org: orgArg, user: userArg}
  static override flags = {
    ...changeFlags,
    role: Flags.string({summary: 'owner, admin, member or viewer.', default: 'member'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(MembersAdd)
    const session = await this.connect(flags)
    await this.outputChanges(
      await changeMember(session, 'add', args.org, args.user, flags.role, {
        dryRun: flags['dry-run'],
        actor: flags.actor,
      }),
      flags,
    )
  }
}
