import {BaseCommand} from '../../base-command.js'
import {listProjectMembers} from '../../tenants/projects.js'
import {orgArg, projectArg, readFlags} from '../../tenants/tenant-flags.js'

export default class ProjectsMembers extends BaseCommand {
  static override summary = "List a project's members with their role and when they were added."
  static override examples = [
    '<%= config.bin %> projects members north-high spring-concert',
    '<%= config.bin %> projects members north-high spring-concert --json',
  ]
  static override args = {org: orgArg, project: projectArg}
  static override flags = readFlags

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ProjectsMembers)
    const session = await this.connect(flags)
    await this.output(await listProjectMembers(session, args.org, args.project), flags, {
      columns: ['email', 'name', 'role', 'added_at', 'user_id'],
    })
  }
}
