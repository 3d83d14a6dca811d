import * as Flags from '@oclif/core/flags'
import {THEMES, USER_PREFERENCES, parseSet, parseUnset} from '../../schema/jsonb.js'
import {MutationCommand} from '../../tenants/command.js'
import {editPreferences, preferenceRows, showPreferences} from '../../tenants/preferences.js'
import {changeFlags, userArg} from '../../tenants/tenant-flags.js'

export default class UsersPreferences extends MutationCommand {
  static override summary = "Show a user's preferences, or change documented paths of them (--set, --unset)."
  static override description = `Documented paths (fluxstudio-schema.md): ${USER_PREFERENCES.map((f) => f.path).join(', ')}.
Booleans take true or false; display.theme takes ${THEMES.join(' or ')}. A table shows one line per leaf path; --format json the object.`
  static override examples = [
    '<%= config.bin %> users preferences ada@example.org',
    '<%= config.bin %> users preferences ada@example.org --set notifications.email=false --set display.theme=dark --dry-run',
    '<%= config.bin %> users preferences ada@example.org --unset display.compactMode',
  ]
  static override args = {user: userArg}
  static override flags = {
    ...changeFlags,
    set: Flags.string({summary: 'PATH=VALUE of a documented path (repeatable).', multiple: true}),
    unset: Flags.string({summary: 'Remove a documented path (repeatable).', multiple: true}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(UsersPreferences)
    const edits = [
      ...(flags.set ?? []).map((s) => parseSet(USER_PREFERENCES, s)),
      ...(flags.unset ?? []).map((s) => parseUnset(USER_PREFERENCES, s)),
    ]
    const session = await this.connect(flags)
    if (edits.length > 0) {
      await this.outputChanges(
        await editPreferences(session, args.user, edits, {dryRun: flags['dry-run'], actor: flags.actor}),
        flags,
      )
      return
    }
    const prefs = await showPreferences(session, args.user)
    if (this.outputFormat(flags) === 'json') await this.outputDocument(prefs.preferences, flags)
    else await this.output(preferenceRows(prefs), flags, {columns: ['path', 'value']})
  }
}
