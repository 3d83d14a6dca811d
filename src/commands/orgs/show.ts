import {BaseCommand} from '../../base-command.js'
import {replicaFlags} from '../../shared-flags.js'
import {showOrg} from '../../tenants/orgs.js'
import {orgArg, readFlags} from '../../tenants/tenant-flags.js'

export default class OrgsShow extends BaseCommand {
  static override summary = 'Show one organization (slug or UUID) with its usage, members and teams.'
  static override examples = ['<%= config.bin %> orgs show north-high', '<%= config.bin %> orgs show north-high --json']
  static override args = {org: orgArg}
  static override flags = {...readFlags, ...replicaFlags}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(OrgsShow)
    const session = await this.connectForReads(flags)
    await this.output(await showOrg(session, args.org), flags, {
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
        'member_list',
        'team_list',
        'id',
        'created_at',
        'updated_at',
      ],
    })
  }
}
