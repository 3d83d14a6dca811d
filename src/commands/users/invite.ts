import {MutationCommand} from '../../tenants/command.js'
import {newUserFlags} from '../../tenants/tenant-flags.js'
import {createUser} from '../../tenants/users.js'

export default class UsersInvite extends MutationCommand {
  static override summary =
    'Create a user without a password (they set one on first sign-in), optionally into an organization.'
  static override examples = [
    '<%= config.bin %> users invite --email bo@example.org --name Bo --type client --org north-high --role viewer',
  ]
  static override flags = newUserFlags

  async run(): Promise<void> {
    const {flags} = await this.parse(UsersInvite)
    const session = await this.connect(flags)
    await this.outputChanges(await createUser(session, flags, {dryRun: flags['dry-run'], actor: flags.actor}), flags)
  }
}
