import * as Flags from '@oclif/core/flags'
import {confirm} from '../../output/confirm.js'
import {MutationCommand} from '../../tenants/command.js'
import {revokeSessions} from '../../tenants/sessions.js'
import {changeFlags, orgFilterFlag} from '../../tenants/tenant-flags.js'

export default class SessionsRevoke extends MutationCommand {
  static override summary =
    "Revoke one session (--id), all of a user's (--user) or all of an organization's members' (--org)."
  static override examples = [
    '<%= config.bin %> sessions revoke --id 0b5c4b2e-6a3c-4f0e-9d7e-2f1a3c4b5d6e',
    '<%= config.bin %> sessions revoke --user ada@example.org --yes',
    '<%= config.bin %> sessions revoke --org north-high --dry-run',
  ]
  static override flags = {
    ...changeFlags,
    id: Flags.string({summary: 'One session (refresh token) UUID.'}),
    user: Flags.string({summary: 'Every session of this user (email or UUID).'}),
    org: orgFilterFlag,
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(SessionsRevoke)
    const all = flags.user ?? flags.org
    if (all && !(await confirm(`revoke every session of ${all}`, {yes: flags.yes, dryRun: flags['dry-run']}))) return
    const session = await this.connect(flags)
    await this.outputChanges(
      await revokeSessions(session, flags, {dryRun: flags['dry-run'], actor: flags.actor}),
      flags,
    )
  }
}
