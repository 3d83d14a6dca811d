import * as Flags from '@oclif/core/flags'
import {MutationCommand} from '../../tenants/command.js'
import {createTeam} from '../../tenants/teams.js'
import {changeFlags, orgFlag} from '../../tenants/tenant-flags.js'

export default class TeamsCreate extends MutationCommand {
  static override summary = 'Create a team in an organization.'
  static override examples = ['<%= config.bin %> teams create --org north-high --slug brass --name "Brass section"']
  static override flags = {
    ...changeFlags,
    org: orgFlag,
    slug: Flags.string({summary: 'Team slug, unique in the organization.', required: true}),
    name: Flags.string({summary: 'Display name.', required: true}),
    description: Flags.string({summary: 'Description.'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(TeamsCreate)
    const session = await this.connect(flags)
    await this.outputChanges(
      await createTeam(session, flags.org, flags, {dryRun: flags['dry-run'], actor: flags.actor}),
      flags,
    )
  }
}
