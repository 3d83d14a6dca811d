import {usageError} from '../../errors.js'
import {PART_COLUMNS, exportFlags} from '../../lifecycle/archive-flags.js'
import {LifecycleCommand} from '../../lifecycle/command.js'
import {exportOrg} from '../../lifecycle/export.js'
import {note} from '../../output/messages.js'
import {orgArg} from '../../tenants/tenant-flags.js'

export default class OrgsExport extends LifecycleCommand {
  static override summary =
    'Export every row of one organization from one snapshot into an archive (tar of COPY parts and a manifest).'
  static override description = `The archive holds the organization, memberships, teams, projects, files (metadata), conversations, participants, messages, notifications,
its security events and the users its rows need; password hashes only with --with-secrets. Read-only: works through PgBouncer and on a replica.
Audited (admin.org.exported), also in a session that defaults to read-only; only a standby cannot take the row (stderr says so).
When the audit row cannot be written (no INSERT on security_events), no archive is left and the exit is 6.
Prints one row per table: rows, bytes and sha256 of its part.`
  static override examples = [
    '<%= config.bin %> orgs export north-high --out north-high.tar',
    '<%= config.bin %> orgs export north-high --dry-run',
  ]
  static override args = {org: orgArg}
  static override flags = exportFlags

  async run(): Promise<void> {
    const {args, flags} = await this.parse(OrgsExport)
    if (!flags.out && !flags['dry-run'])
      throw usageError('orgs export needs --out FILE', 'pass --out north-high.tar, or --dry-run to count the rows only')
    const session = await this.connect(flags)
    const progress = this.progress('exported')
    const {manifest, audited} = await exportOrg(session, args.org, {
      out: flags['dry-run'] ? undefined : flags.out,
      withSecrets: flags['with-secrets'],
      actor: flags.actor,
      onPart: progress && ((p) => progress(p.table, p.rows)),
    })
    if (!audited)
      note('the server is a standby, which cannot write the audit row: this export is not in the audit trail')
    await this.output(manifest.parts, {...flags, out: undefined}, {columns: PART_COLUMNS})
    if (flags['dry-run']) note('dry run: every table streamed and counted, no file written')
  }
}
