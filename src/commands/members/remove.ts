import {confirm} from '../../output/confirm.js'
import {MutationCommand} from '../../tenants/command.js'
import {changeMember} from '../../tenants/members.js'
import {changeFlags, orgArg, userArg} from '../../tenants/tenant-flags.js'

export default class MembersRemove extends MutationCommand {
  static override summary = 'Remove a user from an organization and from its teams.'
  static override examples = ['<%= config.bin %> members remove north-high ada@example.org --yes']
  static override args = {org: orgArg, user: userArg}
  static override flags = changeFlags

  async run(): Promise<void> {
    const {args, flags} = await this.parse(MembersRemove)
    if (!(await confirm(`remove ${args.user} from ${args.org}`, {yes: flags.yes, dryRun: flags['dry-run']}))) return
    const session = await this.connect(flags)
    await this.outputChanges(
      await changeMember(session, 'remove', args.org, args.user, undefined, {
        dryRun: flags['dry-run'],
        actor: flags.actor,
      }),
      flags,
    )
  }
}
