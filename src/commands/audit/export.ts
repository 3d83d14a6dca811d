import {AUDIT_COLUMNS, AUDIT_PRIORITY, exportAudit} from '../../audit/events.js'
import {auditFilterFlags} from '../../audit/filter-flags.js'
import {BaseCommand} from '../../base-command.js'
import {connectionFlags, outputFlags, replicaFlags} from '../../shared-flags.js'

export default class AuditExport extends BaseCommand {
  static override summary =
    'Stream every matching audit event (newest first) in keyset pages, e.g. to a file with --out.'
  static override examples = [
    '<%= config.bin %> audit export --since 30d --out audit.ndjson',
    '<%= config.bin %> audit export --org north-high --format csv > north.csv',
  ]
  static override flags = {...connectionFlags, ...replicaFlags, ...outputFlags, ...auditFilterFlags}

  async run(): Promise<void> {
    const {flags} = await this.parse(AuditExport)
    const session = await this.connectForReads(flags)
    await this.output(exportAudit(session, flags), flags, {columns: AUDIT_COLUMNS, priority: AUDIT_PRIORITY})
  }
}
