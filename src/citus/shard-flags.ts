import * as Flags from '@oclif/core/flags'
import {longStatementTimeout} from '../shared-flags.js'
import {TRANSFER_MODES} from './isolate.js'

/** The flags of the commands that split or move shards (orgs isolate, orgs move --to-node). */
export const shardFlags = {
  'statement-timeout': longStatementTimeout('shards are copied between nodes', 'FLUXADMIN_SHARD_STATEMENT_TIMEOUT'),
  'transfer-mode': Flags.option({
    options: TRANSFER_MODES,
    default: 'force_logical' as const,
    summary:
      'How Citus copies the shards: force_logical (logical replication: writes go on until a short cut-over), auto, or block_writes.',
    env: 'FLUXADMIN_SHARD_TRANSFER_MODE',
  })(),
}
