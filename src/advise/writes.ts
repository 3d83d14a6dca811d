import type pg from 'pg'
import {query} from '../db/queries.js'
import {withSavepoint} from '../db/transaction.js'

/**
 * What one more index costs each write, as an estimate: a btree insert of one entry into cached pages.
 * Every insert and every update that is not HOT writes one entry into every index of the table.
 */
export const INDEX_WRITE_MS = 0.01

export interface TableWrites {
  /** Inserts plus non-HOT updates per minute. */
  per_minute: number
  /** `since snapshot #12` or `since the statistics reset`: the interval the rate is measured over. */
  window: string
}

interface Counters {
  relid: number
  n_tup_ins: number
  n_tup_upd: number
  n_tup_hot_upd: number
}

const writes = (c: Counters) => Number(c.n_tup_ins) + Number(c.n_tup_upd) - Number(c.n_tup_hot_upd)

/**
 * Writes per minute of each table since the last `stats snapshot` that holds it (fluxadmin.stat_snapshot_tables),
 * else since the statistics were reset (or the server started).
 */
export async function tableWrites(client: pg.ClientBase, relids: number[]): Promise<Map<number, TableWrites>> {
  const {rows: live} = await client.query<Counters & {counting_since: Date; at: Date}>(
    query('advise/table-writes').text,
    [relids],
  )
  // A database never migrated by fluxadmin has no snapshot tables: then the counters since the reset are all there is.
  const snapshots = await withSavepoint(client, () =>
    client.query<Counters & {snapshot_id: number; taken_at: Date}>(query('advise/snapshot-table-writes').text, [
      relids,
    ]),
  ).then(
    (r) => new Map(r.rows.map((s) => [Number(s.relid), s])),
    () => new Map<number, Counters & {snapshot_id: number; taken_at: Date}>(),
  )
  const out = new Map<number, TableWrites>()
  for (const now of live) {
    const snap = snapshots.get(Number(now.relid))
    const usable = snap && writes(now) >= writes(snap) && now.at.getTime() > snap.taken_at.getTime()
    const minutes = Math.max(1, (now.at.getTime() - (usable ? snap.taken_at : now.counting_since).getTime()) / 60_000)
    out.set(Number(now.relid), {
      per_minute: (writes(now) - (usable ? writes(snap) : 0)) / minutes,
      window: usable ? `since snapshot #${snap.snapshot_id}` : 'since the statistics reset',
    })
  }
  return out
}
