import {BaseCommand} from '../../base-command.js'
import {listTeams} from '../../tenants/teams.js'
import {orgFlag, readFlags} from '../../tenants/tenant-flags.js'

export default class TeamsList extends BaseCommand {
  static override summary = "List an organization's teams with member and project counts."
  static override examples = ['<%= config.bin %> teams list --org north-high']
  static override flags = {...readFlags, org: orgFlag}

  async run(): Promise<void> {
    const {flags} = await this.parse(TeamsList)
    const session = await this.connect(flags)
    await this.output(await listTeams(session, flags.org), flags, {
      columns: ['slug', 'name', 'members', 'projects', 'description', 'id', 'created_at'],
    })
  }
}
