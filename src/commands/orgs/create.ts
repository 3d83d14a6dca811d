import * as Flags from '@oclif/core/flags'
import {note} from '../../output/messages.js'
import {MutationCommand} from '../../tenants/command.js'
import {ORG_TIERS, ORG_TYPES, createOrg} from '../../tenants/orgs.js'
import {changeFlags} from '../../tenants/tenant-flags.js'

export default class OrgsCreate extends MutationCommand {
  static override summary = 'Create an organization (slug: lowercase and URL-safe, unique).'
  static override examples = [
    '<%= config.bin %> orgs create --slug north-high --name "North High School" --type high_school --owner ada@north-high.edu',
    '<%= config.bin %> orgs create --slug acme --name Acme --type studio --tier pro --dry-run',
  ]
  static override flags = {
    ...changeFlags,
    slug: Flags.string({summary: 'URL-safe identifier: lowercase letters, digits, hyphens.', required: true}),
    name: Flags.string({summary: 'Display name.', required: true}),
    type: Flags.string({summary: `One of ${ORG_TYPES.join(', ')}.`, required: true}),
    tier: Flags.string({summary: `Subscription tier: ${ORG_TIERS.join(', ')}.`, default: 'free'}),
    description: Flags.string({summary: 'Description.'}),
    'contact-email': Flags.string({summary: 'Contact email.'}),
    owner: Flags.string({summary: 'User (email or id) who becomes its owner, in the same transaction.'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(OrgsCreate)
    const session = await this.connect(flags)
    const input = {
      slug: flags.slug,
      name: flags.name,
      type: flags.type,
      tier: flags.tier,
      description: flags.description,
      contactEmail: flags['contact-email'],
      owner: flags.owner,
    }
    await this.outputChanges(await createOrg(session, input, {dryRun: flags['dry-run'], actor: flags.actor}), flags)
    if (flags.owner === undefined)
      note(`${flags.slug} has no owner yet: make one with \`fluxadmin members add ${flags.slug} USER --role owner\``)
  }
}
