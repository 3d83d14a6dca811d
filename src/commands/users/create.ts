import * as Flags from '@oclif/core/flags'
import {MutationCommand} from '../../tenants/command.js'
import {readPasswordFromStdin} from '../../tenants/password.js'
import {newUserFlags} from '../../tenants/tenant-flags.js'
import {createUser} from '../../tenants/users.js'

export default class UsersCreate extends MutationCommand {
  static override summary =
    'Create a user; the password comes only from stdin (--password-stdin) and is stored as a bcrypt hash (cost 12).'
  static override examples = [
    'printf %s "$PASSWORD" | <%= config.bin %> users create --email ada@example.org --name Ada --type designer --password-stdin',
  ]
  static override flags = {
    ...newUserFlags,
    'password-stdin': Flags.boolean({summary: 'Read the password from stdin (first line).', required: true}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(UsersCreate)
    const password = await readPasswordFromStdin()
    const session = await this.connect(flags)
    await this.outputChanges(
      await createUser(session, {...flags, password}, {dryRun: flags['dry-run'], actor: flags.actor}),
      flags,
    )
  }
}
