import {humanBytes} from '../output/human.js'
import type {MoveProgress, MoveToNodeResult} from './move.js'

/** The stderr line after `orgs move --to-node`: planned (dry run) or done, with how long writes were blocked. */
export function moveNote(result: MoveToNodeResult): string {
  const first = result.isolated_first
  if (result.status === 'planned')
    return `dry run, nothing changed: ${first ? 'isolate it on shards of its own, then ' : ''}move its shards from ${result.source} to ${result.target}`
  const changed = result.proof.reduce((n, p) => n + p.rows_before - p.unchanged, 0)
  const rows =
    changed === 0
      ? 'every row of before is there, unchanged'
      : `every row of before is there; ${changed} changed while it moved (written meanwhile)`
  return `moved ${result.organization} from ${result.source} to ${result.target}${first ? ' (isolated first)' : ''}; writes were blocked for at most ${result.writes_blocked_ms} ms; ${rows}`
}

/** `copying 4 shards: 12.3 MB of 40.1 MB`, or undefined before get_rebalance_progress lists any. */
export function moveProgressLine(rows: MoveProgress[]): string | undefined {
  if (rows.length === 0) return undefined
  const copied = rows.reduce((n, r) => n + Number(r.target_shard_size), 0)
  const total = rows.reduce((n, r) => n + Number(r.shard_size), 0)
  return `copying ${rows.length} shards: ${humanBytes(copied)} of ${humanBytes(total)}`
}
