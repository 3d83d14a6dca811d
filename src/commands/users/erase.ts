import * as Flags from '@oclif/core/flags'
import {MESSAGE_POLICIES, eraseUser} from '../../lifecycle/erase.js'
import {confirm} from '../../output/confirm.js'
import {MutationCommand} from '../../tenants/command.js'
import {changeFlags, userArg} from '../../tenants/tenant-flags.js'

export default class UsersErase extends MutationCommand {
  static override summary = "Erase a person's personal data (right to erasure) while the rows others need stay."
  static override description = `Email becomes a unique placeholder (erased-<id>@erased.invalid), the name "Erased user"; phone, avatar, OAuth ids, preferences and
password hash are cleared; refresh tokens, notifications and memberships are deleted; security events about them lose their personal data.
Their messages stay (others' conversations still read), or with --messages redact their content is replaced. Cannot be undone.`
  static override examples = [
    '<%= config.bin %> users erase ada@example.org --dry-run',
    '<%= config.bin %> users erase ada@example.org --messages redact --yes',
  ]
  static override args = {user: userArg}
  static override flags = {
    ...changeFlags,
    messages: Flags.option({
      options: MESSAGE_POLICIES,
      default: 'keep' as const,
      summary: 'Their messages: keep, or redact the content.',
    })(),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(UsersErase)
    if (
      !(await confirm(`erase the personal data of ${args.user} for good`, {yes: flags.yes, dryRun: flags['dry-run']}))
    )
      return
    const session = await this.connect(flags)
    await this.outputChanges(
      await eraseUser(session, args.user, {dryRun: flags['dry-run'], actor: flags.actor, messages: flags.messages}),
      flags,
    )
  }
}
