import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../base-command.js'
import {replicaFlags} from '../../shared-flags.js'
import {ORG_STATUSES, ORG_TIERS, ORG_TYPES, listOrgs} from '../../tenants/orgs.js'
import {limitFlag, readFlags} from '../../tenants/tenant-flags.js'

export default class OrgsList extends BaseCommand {
  static override summary = 'List organizations with member, team, project and file counts and storage bytes.'
  static override examples = [
    '<%= config.bin %> orgs list',
    '<%= config.bin %> orgs list --status suspended --format json',
    '<%= config.bin %> orgs list --search north --tier pro',
  ]
  static override flags = {
    ...readFlags,
    ...replicaFlags,
    type: Flags.option({options: [...ORG_TYPES], summary: 'Only this organization type.'})(),
    tier: Flags.option({options: [...ORG_TIERS], summary: 'Only this subscription tier.'})(),
    status: Flags.option({options: [...ORG_STATUSES], summary: 'Only this subscription status.'})(),
    search: Flags.string({summary: 'Case-insensitive text in the name or slug.'}),
    limit: limitFlag,
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(OrgsList)
    const session = await this.connectForReads(flags)
    await this.output(await listOrgs(session, flags), flags, {
      columns: [
        'slug',
        'name',
        'type',
        'tier',
        'status',
        'members',
        'teams',
        'projects',
        'files',
        'storage_bytes',
        'id',
        'created_at',
      ],
      priority: ['slug', 'name', 'status', 'tier', 'type', 'members', 'storage_bytes'],
    })
  }
}
