import {BaseCommand} from '../../base-command.js'
import {isolateOrg} from '../../citus/isolate.js'
import {shardFlags} from '../../citus/shard-flags.js'
import {confirm} from '../../output/confirm.js'
import {note} from '../../output/messages.js'
import {changeFlags, orgArg} from '../../tenants/tenant-flags.js'

export default class OrgsIsolate extends BaseCommand {
  static override summary = 'On Citus: put an organization on shards of its own, in every co-located tenant table.'
  static override description = `isolate_tenant_to_new_shard(..., 'CASCADE') splits the shard that holds the organization on its node, by logical replication by default (writes go on until a short cut-over). One transaction with its audit row (admin.org.isolated): interrupted, nothing changed. An isolated organization is left as it is (exit 0).
On plain PostgreSQL, a coordinator without workers or a database not distributed yet: exit 2.`
  static override examples = [
    '<%= config.bin %> orgs isolate north-high --dry-run',
    '<%= config.bin %> orgs isolate north-high --yes',
  ]
  static override args = {org: orgArg}
  static override flags = {...changeFlags, ...shardFlags}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(OrgsIsolate)
    if (!(await confirm(`isolate ${args.org} on shards of its own`, {yes: flags.yes, dryRun: flags['dry-run']}))) return
    const session = await this.connect(flags)
    const result = await isolateOrg(session, args.org, {
      dryRun: flags['dry-run'],
      actor: flags.actor,
      transferMode: flags['transfer-mode'],
    })
    await this.output([result], flags, {columns: ['status', 'organization', 'node', 'shard_before', 'shard_after']})
    if (result.status === 'planned')
      note(`dry run, nothing changed: ${result.organization} would get shards of its own on ${result.node}`)
    else if (result.status === 'already isolated') note(`${result.organization} is isolated already, nothing to do`)
  }
}
