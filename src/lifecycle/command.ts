import {MutationCommand} from '../tenants/command.js'

/** Base for the lifecycle commands: a line per table on stderr, counting up as batches finish, only on a terminal. */
export abstract class LifecycleCommand extends MutationCommand {
  protected progress(verb: string): ((table: string, rows: number) => void) | undefined {
    if (!process.stderr.isTTY) return undefined
    let last: string | undefined
    return (table, rows) => {
      process.stderr.write(
        `${last && last !== table ? '\n' : '\r\u001B[K'}${verb} ${table}: ${rows.toLocaleString('en-US')} rows`,
      )
      last = table
    }
  }
}
