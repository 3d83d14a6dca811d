import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../base-command.js'
import {PLACEMENT_COLUMNS} from '../../citus/placement.js'
import {replicaFlags} from '../../shared-flags.js'
import {ORG_STATUSES, ORG_TIERS, ORG_TYPES, listOrgs} from '../../tenants/orgs.js'
import {limitFlag, readFlags} from '../../tenants/tenant-flags.js'

export default class OrgsList extends BaseCommand {
  static override summary =
    'List organizations with member, team, project and file counts and storage bytes; on Citus also the node and shard of each.'
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
    'by-node': Flags.boolean({summary: 'On Citus: ordered by the node that holds each organization.'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(OrgsList)
    const session = await this.connectForReads(flags)
    const rows = await listOrgs(session, {...flags, byNode: flags['by-node']})
    const placed = rows.length > 0 && 'node' in rows[0]
    await this.output(rows, flags, {
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
        ...(placed ? PLACEMENT_COLUMNS : []),
        'id',
        'created_at',
      ],
      priority: ['slug', ...(placed ? ['node'] : []), 'name', 'status', 'tier', 'type', 'members', 'storage_bytes'],
    })
  }
}
