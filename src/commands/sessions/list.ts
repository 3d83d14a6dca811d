import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../base-command.js'
import {listSessions} from '../../tenants/sessions.js'
import {limitFlag, orgFilterFlag, readFlags} from '../../tenants/tenant-flags.js'

export default class SessionsList extends BaseCommand {
  static override summary = 'List active sessions (refresh tokens neither expired nor revoked) with device and IP.'
  static override examples = [
    '<%= config.bin %> sessions list --user ada@example.org',
    '<%= config.bin %> sessions list --org north-high --format json',
  ]
  static override flags = {
    ...readFlags,
    user: Flags.string({summary: 'Only this user (email or UUID).'}),
    org: orgFilterFlag,
    limit: limitFlag,
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(SessionsList)
    const session = await this.connect(flags)
    await this.output(await listSessions(session, flags, flags.limit), flags, {
      columns: ['id', 'email', 'ip_address', 'device_info', 'created_at', 'expires_at', 'user_id'],
    })
  }
}
