import * as Args from '@oclif/core/args'
import {lifecycleFlags} from '../../lifecycle/archive-flags.js'
import {LifecycleCommand} from '../../lifecycle/command.js'
import {importOrg} from '../../lifecycle/import.js'
import {confirm} from '../../output/confirm.js'

export default class OrgsImport extends LifecycleCommand {
  static override summary = 'Import an organization archive (from `orgs export`) in one transaction, ids preserved.'
  static override description = `The archive's checksums and schema version are checked before anything is written: a damaged archive or another schema version exits 2.
An organization that already exists exits 5; users are matched by id and email (any case) and listed, and a user whose id and email disagree exits 5.`
  static override examples = [
    '<%= config.bin %> orgs import north-high.tar --dry-run',
    '<%= config.bin %> orgs import north-high.tar --yes',
  ]
  static override args = {file: Args.string({required: true, description: 'archive written by `orgs export`'})}
  static override flags = lifecycleFlags

  async run(): Promise<void> {
    const {args, flags} = await this.parse(OrgsImport)
    if (!(await confirm(`import ${args.file}`, {yes: flags.yes, dryRun: flags['dry-run']}))) return
    const session = await this.connect(flags)
    await this.outputChanges(
      await importOrg(session, args.file, {
        dryRun: flags['dry-run'],
        actor: flags.actor,
        onPart: this.progress('imported'),
      }),
      flags,
    )
  }
}
