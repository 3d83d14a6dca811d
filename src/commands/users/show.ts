import {BaseCommand} from '../../base-command.js'
import {replicaFlags} from '../../shared-flags.js'
import {readFlags, userArg} from '../../tenants/tenant-flags.js'
import {showUser} from '../../tenants/users.js'

export default class UsersShow extends BaseCommand {
  static override summary = 'Show one user (email or UUID) with organizations, teams and active sessions.'
  static override examples = [
    '<%= config.bin %> users show ada@example.org',
    '<%= config.bin %> users show 0b5c4b2e-6a3c-4f0e-9d7e-2f1a3c4b5d6e --json',
  ]
  static override args = {user: userArg}
  static override flags = {...readFlags, ...replicaFlags}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(UsersShow)
    const session = await this.connectForReads(flags)
    await this.output(await showUser(session, args.user), flags)
  }
}
