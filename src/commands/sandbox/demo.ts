import {spawnSync} from 'node:child_process'
import {BaseCommand} from '../../base-command.js'
import {note} from '../../output/messages.js'
import {startSandbox} from '../../sandbox/sandbox.js'
import {TOUR} from '../../sandbox/tour.js'
import {citusFlag, sizeFlag} from './start.js'

export default class SandboxDemo extends BaseCommand {
  static override summary = 'Start the sandbox and take a short tour of fluxadmin with real commands.'
  static override examples = [
    '<%= config.bin %> sandbox demo',
    'npm run demo',
    '<%= config.bin %> sandbox demo --citus',
  ]
  static override flags = {size: sizeFlag, citus: citusFlag}

  async run(): Promise<void> {
    const {flags} = await this.parse(SandboxDemo)
    const {state} = await startSandbox({size: flags.size, citus: flags.citus, onStep: note})
    process.stdout.write(`\nThe sandbox runs on 127.0.0.1:${state.port}. Every command below uses it by default.\n`)
    for (const step of TOUR) {
      process.stdout.write(`\n== ${step.title}\n$ ${this.config.bin} ${step.args.join(' ')}\n`)
      const result = spawnSync(process.execPath, [process.argv[1], ...step.args], {
        stdio: ['ignore', 'inherit', 'pipe'],
      })
      if (result.status !== 0 && result.status !== null)
        process.stdout.write(`(exit ${result.status}) ${result.stderr}\n`)
    }
    process.stdout.write(`\nStop it with: ${this.config.bin} sandbox stop\n`)
  }
}
