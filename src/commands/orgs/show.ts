import {BaseCommand} from '../../base-command.js'
import {PLACEMENT_COLUMNS} from '../../citus/placement.js'
import {replicaFlags} from '../../shared-flags.js'
import {showOrg} from '../../tenants/orgs.js'
import {orgArg, readFlags} from '../../tenants/tenant-flags.js'

export default class OrgsShow extends BaseCommand {
  static override summary =
    'Show one organization (slug or UUID) with its usage, members and teams; on Citus also its node and shard.'
  static override examples = ['<%= config.bin %> orgs show north-high', '<%= config.bin %> orgs show north-high --json']
  static override args = {org: orgArg}
  static override flags = {...readFlags, ...replicaFlags}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(OrgsShow)
    const session = await this.connectForReads(flags)
    const rows = await showOrg(session, args.org)
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
        'description',
        'contact_email',
        'website',
        'settings',
        ...(rows[0].node === undefined ? [] : PLACEMENT_COLUMNS),
        'member_list',
        'team_list',
        'id',
        'created_at',
        'updated_at',
      ],
    })
  }
}
