import {confirm} from '../../output/confirm.js'
import {MutationCommand} from '../../tenants/command.js'
import {deleteTeam} from '../../tenants/teams.js'
import {changeFlags, orgFlag, teamArg} from '../../tenants/tenant-flags.js'

export default class TeamsDelete extends MutationCommand {
  static override summary = 'Delete a team and its memberships (refused while projects still use it).'
  static override examples = ['<%= config.bin %> teams delete brass --org north-high --yes']
  static override args = {team: teamArg}
  static override flags = {...changeFlags, org: orgFlag}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(TeamsDelete)
    if (!(await confirm(`delete team ${args.team} of ${flags.org}`, {yes: flags.yes, dryRun: flags['dry-run']}))) return
    const session = await this.connect(flags)
    await this.outputChanges(
      await deleteTeam(session, flags.org, args.team, {dryRun: flags['dry-run'], actor: flags.actor}),
      flags,
    )
  }
}
