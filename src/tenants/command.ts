import {BaseCommand} from '../base-command.js'
import {note} from '../output/messages.js'
import {CHANGE_COLUMNS, type Change} from './mutation.js'

/** Base for tenant mutations: prints the change rows, and says so on stderr when nothing was written. */
export abstract class MutationCommand extends BaseCommand {
  protected async outputChanges(
    changes: Change[],
    flags: {'dry-run'?: boolean; format?: string; json?: boolean; out?: string; header?: boolean},
  ): Promise<void> {
    await this.output(changes, flags, {columns: CHANGE_COLUMNS})
    if (flags['dry-run'])
      note(
        `dry run: ${changes.length} change${changes.length === 1 ? '' : 's'} previewed, nothing written (rolled back)`,
      )
  }
}
