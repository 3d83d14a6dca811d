import * as Flags from '@oclif/core/flags'
import {shardFlags} from '../citus/shard-flags.js'
import {lifecycleFlags} from './archive-flags.js'

/** `orgs move`: to another database (--to) or, on Citus, to another worker (--to-node). */
export const moveFlags = {
  ...lifecycleFlags,
  to: Flags.string({summary: 'The target database URL (migrated to the same version).', env: 'FLUXADMIN_MOVE_TO'}),
  'to-node': Flags.string({summary: 'On Citus: the worker (host:port) to move the organization to.'}),
  'transfer-mode': shardFlags['transfer-mode'],
  'statement-timeout': Flags.string({
    summary:
      'Cancel any statement that runs longer (30s by default; with --to-node 1h: shards are copied between nodes).',
    env: 'FLUXADMIN_STATEMENT_TIMEOUT',
    helpGroup: 'CONNECTION',
  }),
  'delete-source': Flags.boolean({summary: 'Purge the organization from the source once the copy is verified.'}),
  'work-dir': Flags.string({summary: 'Directory for the temporary archive (default: the system temp directory).'}),
}
