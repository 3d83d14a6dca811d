import {MutationCommand} from '../tenants/command.js'

/** Base for the lifecycle commands: one line per table on stderr while they run, only on a terminal. */
export abstract class LifecycleCommand extends MutationCommand {
  protected progress(verb: string): ((table: string, rows: number) => void) | undefined {
    if (!process.stderr.isTTY) return undefined
    return (table, rows) => process.stderr.write(`\r\u001B[K${verb} ${table}: ${rows.toLocaleString('en-US')} rows\n`)
  }
}
