import {verifyPitr} from '../../../backup/pitr.js'
import {pitrFlags, pitrOptions} from '../../../backup/pitr-flags.js'
import {verdictExit} from '../../../backup/steps.js'
import {BaseCommand} from '../../../base-command.js'
import {note, progressNotes} from '../../../output/messages.js'
import {connectionFlags, outputFlags} from '../../../shared-flags.js'

export default class BackupPitrVerify extends BaseCommand {
  static override summary =
    'Prove point-in-time recovery: restore a pgBackRest stanza to a moment in a private copy and check it.'
  static override description = `Steps: restore (pgbackrest restore --type=name|time|default into a private temporary directory, as the server's OS user,
recovery_target_action=promote), start (postgres on a free port, 127.0.0.1 only, archive_mode=off, TCP refused, a private socket),
recovery (waits for it to end, then checks from the new timeline's history that it stopped at the target: the restore point at its
manifest's LSN, past --target-time, or the end of the archive), schema, row_counts (against the manifest of \`backup restore-point\`
with --dir), amcheck, cleanup (always: also on a failed step and Ctrl-C). Never writes into the repository. Audited on the --db-url
database as admin.backup.pitr_verified.
Exit codes: 0 every step passed, 2 a step failed (stderr names it), 3 could not run (no pgbackrest, no such stanza, no such restore
point, cannot connect), 6 every step passed but the audit row could not be written, 130 interrupted.`
  static override examples = [
    '<%= config.bin %> backup pitr verify --stanza main --restore-point before-migration-42 --dir /var/backups/fluxstudio/restore-points',
    '<%= config.bin %> backup pitr verify --stanza main --target-time 2026-11-30T10:42:00Z',
    '<%= config.bin %> backup pitr verify --stanza main --latest --pgbackrest-config /etc/pgbackrest/pgbackrest.conf --format json',
  ]
  static override flags = {
    ...connectionFlags,
    ...outputFlags,
    ...pitrFlags,
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(BackupPitrVerify)
    const options = pitrOptions(flags)
    const session = await this.connect(flags)
    const result = await verifyPitr(session, {...options, onProgress: progressNotes(), onNote: note})
    await this.output(result.rows, flags, {columns: ['step', 'name', 'status', 'duration_ms', 'detail']})
    if (result.failed)
      note(`backup pitr verify failed at step ${result.failed.step} (${result.failed.name}): ${result.failed.detail}`)
    if (!result.audited) note(`error: the result is ${result.audit}`)
    process.exitCode = verdictExit(result)
  }
}
