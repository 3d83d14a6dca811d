import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {verdictExit} from '../../backup/steps.js'
import {verifyBackup} from '../../backup/verify.js'
import {BaseCommand} from '../../base-command.js'
import {note, progressNotes} from '../../output/messages.js'
import {boundedInteger, connectionFlags, outputFlags} from '../../shared-flags.js'

export default class BackupVerify extends BaseCommand {
  static override summary = 'Prove a backup restores: checksum, archive, restore, schema, row counts, amcheck, cleanup.'
  static override description = `Restores FILE into a scratch database (fluxadmin_verify_<time>_<random>) on the server of --db-url, on --target-url's,
or in a throwaway cluster (--scratch), then compares it with the manifest and the schema contract. The scratch database is always
dropped, also on failure and Ctrl-C. The result is audited in security_events of the --db-url database and recorded next to the manifest.
Exit codes: 0 every step passed, 2 a step failed (stderr names it), 3 verification could not run (pg_restore missing, no such file, cannot connect,
no right to create the scratch database), 6 every step passed but the audit row could not be written.`
  static override examples = [
    '<%= config.bin %> backup verify /var/backups/fluxstudio/fluxstudio_20261124T020000Z.dump',
    '<%= config.bin %> backup verify backup.dump --scratch --jobs 4 --format json',
    '<%= config.bin %> backup verify backup.dump --target-url postgres://verify@restore-host/postgres',
  ]
  static override args = {file: Args.string({description: 'the dump (or its .manifest.json)', required: true})}
  static override flags = {
    ...connectionFlags,
    ...outputFlags,
    'target-url': Flags.string({
      summary: 'Restore on this server instead (the URL names a database to connect to, e.g. postgres).',
      env: 'FLUXADMIN_VERIFY_TARGET_URL',
      exclusive: ['scratch'],
    }),
    scratch: Flags.boolean({
      summary: 'Restore into a throwaway PostgreSQL cluster started for the occasion.',
      env: 'FLUXADMIN_VERIFY_SCRATCH',
    }),
    jobs: boundedInteger({
      summary: 'Parallel pg_restore and amcheck jobs.',
      default: 2,
      min: 1,
      max: 64,
      env: 'FLUXADMIN_VERIFY_JOBS',
    }),
    actor: Flags.string({summary: 'Who runs the verification, for the audit trail.', env: 'FLUXADMIN_ACTOR'}),
    'scratch-name': Flags.string({hidden: true, env: 'FLUXADMIN_VERIFY_SCRATCH_NAME'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(BackupVerify)
    const session = await this.connect(flags)
    const onProgress = progressNotes()
    const result = await verifyBackup(session, {
      file: args.file,
      targetUrl: flags['target-url'],
      scratch: flags.scratch,
      jobs: flags.jobs,
      scratchName: flags['scratch-name'],
      actor: flags.actor,
      onProgress,
      onNote: note,
    })
    await this.output(result.rows, flags, {columns: ['step', 'name', 'status', 'duration_ms', 'detail']})
    if (result.failed)
      note(`backup verify failed at step ${result.failed.step} (${result.failed.name}): ${result.failed.detail}`)
    if (!result.audited) note(`error: the result is ${result.audit}`)
    process.exitCode = verdictExit(result)
  }
}
