import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../base-command.js'
import {PROJECT_STATUSES} from '../../input/validate.js'
import {listProjects} from '../../tenants/projects.js'
import {orgArg, readFlags} from '../../tenants/tenant-flags.js'

export default class ProjectsList extends BaseCommand {
  static override summary = "List an organization's projects with status, due date, manager and member count."
  static override examples = [
    '<%= config.bin %> projects list north-high',
    '<%= config.bin %> projects list north-high --status active --json',
  ]
  static override args = {org: orgArg}
  static override flags = {
    ...readFlags,
    status: Flags.option({options: [...PROJECT_STATUSES], summary: 'Only this status.'})(),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(ProjectsList)
    const session = await this.connect(flags)
    await this.output(await listProjects(session, args.org, flags.status), flags, {
      columns: ['slug', 'name', 'status', 'due_date', 'manager_email', 'members', 'team', 'id'],
    })
  }
}
