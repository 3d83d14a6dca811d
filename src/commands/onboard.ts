import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../base-command.js'
import {progressBar} from '../output/progress.js'
import {onboard} from '../tenants/onboard.js'
import {changeFlags} from '../tenants/tenant-flags.js'

export default class Onboard extends BaseCommand {
  static override summary =
    'Bulk onboarding: create users from a CSV and add them to an organization and its teams, in one transaction.'
  static override description = `Columns: email, name, user_type (client, designer, admin), role (owner, admin, member, viewer), team (optional team slug).
The whole file is checked first; any bad line (bad email, unknown type or role, duplicate email, unknown team) is reported with its line number and nothing is written.
Existing users are added to the organization, not duplicated, so running the same file twice is harmless.`
  static override examples = [
    '<%= config.bin %> onboard students.csv --org north-high --dry-run',
    '<%= config.bin %> onboard students.csv --org north-high --format json',
  ]
  static override args = {file: Args.string({required: true, description: 'CSV file with a header row'})}
  static override flags = {
    ...changeFlags,
    org: Flags.string({summary: 'Organization slug or UUID.', required: true, env: 'FLUXADMIN_ORG'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Onboard)
    const session = await this.connect(flags)
    const bar = progressBar('onboard', 'lines read')
    const summary = await onboard(session, args.file, flags.org, {
      dryRun: flags['dry-run'],
      actor: flags.actor,
      onProgress: bar?.update,
      onStep: bar?.step,
    })
    bar?.end()
    await this.output([summary], flags, {
      columns: ['rows', 'created', 'already_existed', 'added_to_org', 'added_to_team', 'dry_run'],
    })
  }
}
