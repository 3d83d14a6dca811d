import * as Flags from '@oclif/core/flags'
import {MutationCommand} from '../../tenants/command.js'
import {changeTeamMember} from '../../tenants/teams.js'
import {changeFlags, orgFlag, teamArg, userArg} from '../../tenants/tenant-flags.js'

export default class TeamsAddMember extends MutationCommand {
  static override summary = 'Add a member of the organization to one of its teams.'
  static override examples = ['<%= config.bin %> teams add-member brass ada@example.org --org north-high --role lead']
  static override args = {team: teamArg, user: userArg}
  static override flags = {
    ...changeFlags,
    org: orgFlag,
    role: Flags.string({summary: 'lead or member.', default: 'member'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(TeamsAddMember)
    const session = await this.connect(flags)
    await this.outputChanges(
      await changeTeamMember(session, 'add', flags.org, args.team, args.user, flags.role, {
        dryRun: flags['dry-run'],
        actor: flags.actor,
      }),
      flags,
    )
  }
}
