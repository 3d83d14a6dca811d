import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../base-command.js'
import {ORG_ROLES} from '../../input/validate.js'
import {listMembers} from '../../tenants/members.js'
import {orgArg, readFlags} from '../../tenants/tenant-flags.js'

export default class MembersList extends BaseCommand {
  static override summary = "List an organization's members with role, type, status and teams."
  static override examples = [
    '<%= config.bin %> members list north-high',
    '<%= config.bin %> members list north-high --role owner --json',
  ]
  static override args = {org: orgArg}
  static override flags = {...readFlags, role: Flags.option({options: [...ORG_ROLES], summary: 'Only this role.'})()}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(MembersList)
    const session = await this.connect(flags)
    await this.output(await listMembers(session, args.org, flags.role), flags, {
      columns: ['email', 'name', 'role', 'user_type', 'is_active', 'teams', 'joined_at', 'user_id'],
    })
  }
}
