import {MutationCommand} from '../../tenants/command.js'
import {changeFlags, userArg} from '../../tenants/tenant-flags.js'
import {setUserActive} from '../../tenants/users.js'

export default class UsersReactivate extends MutationCommand {
  static override summary = 'Reactivate a deactivated user (they sign in again to get new sessions).'
  static override examples = ['<%= config.bin %> users reactivate ada@example.org']
  static override args = {user: userArg}
  static override flags = changeFlags

  async run(): Promise<void> {
    const {args, flags} = await this.parse(UsersReactivate)
    const session = await this.connect(flags)
    await this.outputChanges(
      await setUserActive(session, args.user, true, {dryRun: flags['dry-run'], actor: flags.actor}),
      flags,
    )
  }
}
