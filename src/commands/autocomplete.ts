import * as Args from '@oclif/core/args'
import {BaseCommand} from '../base-command.js'
import {completionScript, SHELLS, type Shell} from '../completion/script.js'

export default class Autocomplete extends BaseCommand {
  static override summary = 'Print a shell completion script: topics, commands, flags and flag values.'
  static override description = `Generated from the command manifest, so it always matches this version. Load it from your shell's start-up file:
  bash (~/.bashrc):  eval "$(fluxadmin autocomplete bash)"
  zsh  (~/.zshrc):   eval "$(fluxadmin autocomplete zsh)"`
  static override examples = [
    '<%= config.bin %> autocomplete bash >> ~/.bashrc',
    'eval "$(<%= config.bin %> autocomplete zsh)"',
  ]
  static override args = {shell: Args.string({options: [...SHELLS], default: 'bash', description: 'bash or zsh'})}

  async run(): Promise<void> {
    const {args} = await this.parse(Autocomplete)
    process.stdout.write(completionScript(args.shell as Shell, this.config.bin, this.config.commands))
  }
}
