import {confirm} from '../../output/confirm.js'
import {MutationCommand} from '../../tenants/command.js'
import {changeProjectMember} from '../../tenants/projects.js'
import {changeFlags, orgArg, projectArg, userArg} from '../../tenants/tenant-flags.js'

export default class ProjectsRemoveMember extends MutationCommand {
  static override summary = 'Remove a user from a project (they stay in the organization).'
  static override examples = [
    '<%= config.bin %> projects remove-member north-high spring-concert ada@example.org --yes',
  ]
  static override args = {org: orgArg, project: projectArg, user: userArg}
  static override flags = changeFlags

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ProjectsRemoveMember)
    if (
      !(await confirm(`remove ${args.user} from project ${args.project} of ${args.org}`, {
        yes: flags.yes,
        dryRun: flags['dry-run'],
      }))
    )
      return
    const session = await this.connect(flags)
    await this.outputChanges(
      await changeProjectMember(session, 'remove', args.org, args.project, args.user, undefined, {
        dryRun: flags['dry-run'],
        actor: flags.actor,
      }),
      flags,
    )
  }
}
