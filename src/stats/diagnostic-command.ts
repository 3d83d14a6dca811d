import {BaseCommand} from '../base-command.js'
import {warnSkipped} from '../output/messages.js'
import {connectionFlags, outputFlags} from '../shared-flags.js'
import {diagnosticRows, type Diagnostic} from './diagnostics.js'

/** A `stats <diagnostic>` command: connection and output flags, one SQL file, rows out. */
export function diagnosticCommand(name: Diagnostic, meta: {summary: string; description?: string; columns: string[]}) {
  return class extends BaseCommand {
    static override summary = meta.summary
    static override description = meta.description
    static override examples = [`<%= config.bin %> stats ${name}`, `<%= config.bin %> stats ${name} --format json`]
    static override flags = {...connectionFlags, ...outputFlags}

    async run(): Promise<void> {
      const {flags} = await this.parse(
        this.constructor as typeof BaseCommand & {flags: typeof connectionFlags & typeof outputFlags},
      )
      const session = await this.connect(flags)
      const {rows, skipped} = await diagnosticRows(session, name)
      await this.output(rows, flags, {columns: meta.columns})
      warnSkipped(skipped)
    }
  }
}
