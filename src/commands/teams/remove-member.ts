import {confirm} from '../../output/confirm.js'
import {MutationCommand} from '../../tenants/command.js'
import {changeTeamMember} from '../../tenants/teams.js'
import {changeFlags, orgFlag, teamArg, userArg} from '../../tenants/tenant-flags.js'

export default class TeamsRemoveMember extends MutationCommand {
  static override summary = 'Remove a user from a team (they stay in the organization).'
  static override examples = ['<%= config.bin %> teams remove-member brass ada@example.org --org north-high --yes']
  static override args = {team: teamArg, user: userArg}
  static override flags = {...changeFlags, org: orgFlag}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(TeamsRemoveMember)
    if (!(await confirm(`remove ${args.user} from team ${args.team}`, {yes: flags.yes, dryRun: flags['dry-run']})))
      return
    const session = await this.connect(flags)
    await this.outputChanges(
      await changeTeamMember(session, 'remove', flags.org, args.team, args.user, undefined, {
        dryRun: flags['dry-run'],
        actor: flags.actor,
      }),
      flags,
    )
  }
}
