import * as Flags from '@oclif/core/flags'
import {MutationCommand} from '../../tenants/command.js'
import {changeFlags, userArg} from '../../tenants/tenant-flags.js'
import {updateUser} from '../../tenants/users.js'

export default class UsersUpdate extends MutationCommand {
  static override summary = "Change a user's email, name, type, timezone or phone."
  static override examples = ['<%= config.bin %> users update ada@example.org --type admin --dry-run']
  static override args = {user: userArg}
  static override flags = {
    ...changeFlags,
    email: Flags.string({summary: 'New email.'}),
    name: Flags.string({summary: 'New name.'}),
    type: Flags.string({summary: 'New user type: client, designer or admin.'}),
    timezone: Flags.string({summary: 'New timezone, e.g. Europe/Paris.'}),
    phone: Flags.string({summary: 'New phone number.'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(UsersUpdate)
    const session = await this.connect(flags)
    const u = {email: flags.email, name: flags.name, type: flags.type, timezone: flags.timezone, phone: flags.phone}
    await this.outputChanges(
      await updateUser(session, args.user, u, {dryRun: flags['dry-run'], actor: flags.actor}),
      flags,
    )
  }
}
