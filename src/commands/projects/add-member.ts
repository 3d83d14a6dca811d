import * as Flags from '@oclif/core/flags'
import {MutationCommand} from '../../tenants/command.js'
import {changeProjectMember} from '../../tenants/projects.js'
import {changeFlags, orgArg, projectArg, userArg} from '../../tenants/tenant-flags.js'

export default class ProjectsAddMember extends MutationCommand {
  static override summary = 'Add a member of the organization to one of its projects (exit 5 when already in it).'
  static override description =
    "The user must already belong to the project's organization (exit 4 otherwise: run `fluxadmin members add` first)."
  static override examples = [
    '<%= config.bin %> projects add-member north-high spring-concert ada@example.org --role manager',
  ]
  static override args = {org: orgArg, project: projectArg, user: userArg}
  static override flags = {
    ...changeFlags,
    role: Flags.string({summary: 'manager, contributor, client or viewer.', default: 'contributor'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ProjectsAddMember)
    const session = await this.connect(flags)
    await this.outputChanges(
      await changeProjectMember(session, 'add', args.org, args.project, args.user, flags.role, {
        dryRun: flags['dry-run'],
        actor: flags.actor,
      }),
      flags,
    )
  }
}
