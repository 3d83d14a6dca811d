import {BaseCommand} from '../../base-command.js'
import {listTeams} from '../../tenants/teams.js'
import {orgFlag, readFlags, teamArg} from '../../tenants/tenant-flags.js'

export default class TeamsShow extends BaseCommand {
  static override summary = 'Show one team with its members.'
  static override examples = ['<%= config.bin %> teams show brass --org north-high --json']
  static override args = {team: teamArg}
  static override flags = {...readFlags, org: orgFlag}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(TeamsShow)
    const session = await this.connect(flags)
    await this.output(await listTeams(session, flags.org, args.team), flags, {
      columns: ['slug', 'name', 'members', 'projects', 'member_list', 'description', 'id', 'created_at'],
    })
  }
}
