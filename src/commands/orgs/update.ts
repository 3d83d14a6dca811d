import * as Flags from '@oclif/core/flags'
import {MutationCommand} from '../../tenants/command.js'
import {updateOrg} from '../../tenants/orgs.js'
import {changeFlags, orgArg} from '../../tenants/tenant-flags.js'

export default class OrgsUpdate extends MutationCommand {
  static override summary = "Change an organization's name, type, tier, description, contact email or website."
  static override examples = [
    '<%= config.bin %> orgs update north-high --tier pro',
    '<%= config.bin %> orgs update north-high --name "North HS" --dry-run',
  ]
  static override args = {org: orgArg}
  static override flags = {
    ...changeFlags,
    name: Flags.string({summary: 'New display name.'}),
    type: Flags.string({summary: 'New organization type.'}),
    tier: Flags.string({summary: 'New subscription tier.'}),
    description: Flags.string({summary: 'New description.'}),
    'contact-email': Flags.string({summary: 'New contact email.'}),
    website: Flags.string({summary: 'New website URL.'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(OrgsUpdate)
    const session = await this.connect(flags)
    const update = {
      name: flags.name,
      type: flags.type,
      tier: flags.tier,
      description: flags.description,
      contactEmail: flags['contact-email'],
      website: flags.website,
    }
    await this.outputChanges(
      await updateOrg(session, args.org, update, {dryRun: flags['dry-run'], actor: flags.actor}),
      flags,
    )
  }
}
