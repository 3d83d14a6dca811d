import {confirm} from '../../output/confirm.js'
import {MutationCommand} from '../../tenants/command.js'
import {changeFlags, userArg} from '../../tenants/tenant-flags.js'
import {setUserActive} from '../../tenants/users.js'

export default class UsersDeactivate extends MutationCommand {
  static override summary = 'Deactivate a user (is_active=false) and revoke all their refresh tokens.'
  static override examples = [
    '<%= config.bin %> users deactivate ada@example.org --dry-run',
    '<%= config.bin %> users deactivate ada@example.org --yes',
  ]
  static override args = {user: userArg}
  static override flags = changeFlags

  async run(): Promise<void> {
    const {args, flags} = await this.parse(UsersDeactivate)
    if (
      !(await confirm(`deactivate ${args.user} and revoke their sessions`, {yes: flags.yes, dryRun: flags['dry-run']}))
    )
      return
    const session = await this.connect(flags)
    await this.outputChanges(
      await setUserActive(session, args.user, false, {dryRun: flags['dry-run'], actor: flags.actor}),
      flags,
    )
  }
}
