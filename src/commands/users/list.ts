import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../base-command.js'
import {USER_TYPES} from '../../input/validate.js'
import {replicaFlags} from '../../shared-flags.js'
import {limitFlag, orgFilterFlag, readFlags} from '../../tenants/tenant-flags.js'
import {listUsers} from '../../tenants/users.js'

export default class UsersList extends BaseCommand {
  static override summary = 'List users with their organization count and active sessions.'
  static override examples = [
    '<%= config.bin %> users list --search ada',
    '<%= config.bin %> users list --org north-high --type designer --format json',
    '<%= config.bin %> users list --inactive',
  ]
  static override flags = {
    ...readFlags,
    ...replicaFlags,
    search: Flags.string({summary: 'Case-insensitive text in the email or name.'}),
    type: Flags.option({options: [...USER_TYPES], summary: 'Only this user type.'})(),
    org: orgFilterFlag,
    active: Flags.boolean({
      summary: 'Only active users (--inactive: only deactivated ones).',
      allowNo: false,
      exclusive: ['inactive'],
    }),
    inactive: Flags.boolean({summary: 'Only deactivated users.'}),
    limit: limitFlag,
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(UsersList)
    const session = await this.connectForReads(flags)
    const active = flags.active ? true : flags.inactive ? false : undefined
    await this.output(await listUsers(session, {...flags, active}), flags, {
      columns: [
        'email',
        'name',
        'user_type',
        'is_active',
        'email_verified',
        'orgs',
        'active_sessions',
        'last_login',
        'id',
        'created_at',
      ],
      priority: ['email', 'name', 'is_active', 'user_type', 'orgs', 'last_login'],
    })
  }
}
