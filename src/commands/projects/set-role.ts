import * as Args from '@oclif/core/args'
import {MutationCommand} from '../../tenants/command.js'
import {changeProjectMember} from '../../tenants/projects.js'
import {changeFlags, orgArg, projectArg, userArg} from '../../tenants/tenant-flags.js'

export default class ProjectsSetRole extends MutationCommand {
  static override summary = "Change a member's role in a project."
  static override examples = [
    '<%= config.bin %> projects set-role north-high spring-concert ada@example.org viewer --dry-run',
  ]
  static override args = {
    org: orgArg,
    project: projectArg,
    user: userArg,
    role: Args.string({required: true, description: 'manager, contributor, client or viewer'}),
  }
  static override flags = changeFlags

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ProjectsSetRole)
    const session = await this.connect(flags)
    await this.outputChanges(
      await changeProjectMember(session, 'set-role', args.org, args.project, args.user, args.role, {
        dryRun: flags['dry-run'],
        actor: flags.actor,
      }),
      flags,
    )
  }
}
