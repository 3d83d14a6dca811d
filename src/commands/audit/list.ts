import {AUDIT_COLUMNS, AUDIT_PRIORITY, listAudit} from '../../audit/events.js'
import {auditFilterFlags} from '../../audit/filter-flags.js'
import {BaseCommand} from '../../base-command.js'
import {nextPage} from '../../output/messages.js'
import {boundedInteger, connectionFlags, cursorFlag, outputFlags, replicaFlags} from '../../shared-flags.js'

export default class AuditList extends BaseCommand {
  static override summary = 'Audit trail (security_events), newest first, one page at a time.'
  static override description =
    'When more rows match, the page ends with "next page: --cursor CURSOR" on stderr (keyset pagination: stable while new events arrive).'
  static override examples = [
    '<%= config.bin %> audit list --since 7d --type "admin.org.*"',
    '<%= config.bin %> audit list --user ada@example.org --limit 20 --cursor MjAy...',
  ]
  static override flags = {
    ...connectionFlags,
    ...replicaFlags,
    ...outputFlags,
    ...auditFilterFlags,
    limit: boundedInteger({summary: 'Rows per page.', default: 50, min: 1, max: 10_000}),
    cursor: cursorFlag,
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(AuditList)
    const session = await this.connectForReads(flags)
    const page = await listAudit(session, flags, flags.limit, flags.cursor)
    await this.output(page.rows, flags, {columns: AUDIT_COLUMNS, priority: AUDIT_PRIORITY})
    if (page.next) nextPage(page.next)
  }
}
