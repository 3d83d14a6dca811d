import type {VacuumSort, VacuumStatusRow} from './types.js'

/** A shard placement: the logical table, the shard's table, and the node (host:port) it is on. */
export interface Placement {
  table_name: string
  shard_name: string
  node: string
}

/** A logical table's row on a Citus coordinator: its shards' rows rolled up, and how many placements it has. */
export type RolledUpRow = VacuumStatusRow & {shards: number | null}

type Time = Date | null
/** The oldest time over the shards; a shard never vacuumed (null) makes the table's null: not every shard has been. */
const oldest = (times: Time[]) =>
  times.some((t) => t === null) ? null : times.reduce<Time>((a, b) => (a === null || b! < a ? b : a), null)
const sum = (rows: VacuumStatusRow[], key: keyof VacuumStatusRow) => rows.reduce((n, r) => n + Number(r[key] ?? 0), 0)

function rollUp(table: string, shards: VacuumStatusRow[]): RolledUpRow {
  const live = sum(shards, 'live_tuples')
  const dead = sum(shards, 'dead_tuples')
  const due = shards.filter((r) => r.vacuum_due || r.analyze_due)
  const reasons = [...new Set(due.flatMap((r) => r.due_reason.split(', ').filter(Boolean)))]
  return {
    table_name: table,
    shards: shards.length,
    live_tuples: live,
    dead_tuples: dead,
    dead_ratio: live + dead === 0 ? 0 : Math.round((10_000 * dead) / (live + dead)) / 100,
    last_vacuum: oldest(shards.map((r) => r.last_vacuum)),
    last_autovacuum: oldest(shards.map((r) => r.last_autovacuum)),
    last_analyze: oldest(shards.map((r) => r.last_analyze)),
    last_autoanalyze: oldest(shards.map((r) => r.last_autoanalyze)),
    vacuum_count: sum(shards, 'vacuum_count'),
    autovacuum_count: sum(shards, 'autovacuum_count'),
    analyze_count: sum(shards, 'analyze_count'),
    autoanalyze_count: sum(shards, 'autoanalyze_count'),
    autovacuum_enabled: shards.every((r) => r.autovacuum_enabled),
    vacuum_threshold: sum(shards, 'vacuum_threshold'),
    insert_threshold: shards.some((r) => r.insert_threshold === null) ? null : sum(shards, 'insert_threshold'),
    analyze_threshold: sum(shards, 'analyze_threshold'),
    xid_age: Math.max(...shards.map((r) => r.xid_age)),
    freeze_max_age: Math.min(...shards.map((r) => r.freeze_max_age)),
    vacuum_due: shards.some((r) => r.vacuum_due),
    analyze_due: shards.some((r) => r.analyze_due),
    due_reason: due.length ? `${due.length} of ${shards.length} shards: ${reasons.join(', ')}` : '',
  }
}

/**
 * The coordinator's rows with every Citus table's (its shell there holds no rows) replaced by its shards' rows
 * from every node rolled up: tuples and counts summed, thresholds summed over the shards, the oldest (auto)vacuum
 * and (auto)analyze, the highest xid age; due when a shard is due. Then filtered and sorted as vacuum/status does.
 */
export function rollUpShards(
  coordinator: VacuumStatusRow[],
  byNode: Map<string, VacuumStatusRow[]>,
  placements: Placement[],
  options: {sort?: VacuumSort; table?: string},
): RolledUpRow[] {
  const shardsOf = new Map<string, VacuumStatusRow[]>()
  for (const p of placements) {
    const row = byNode.get(p.node)?.find((r) => r.table_name === p.shard_name)
    if (!shardsOf.has(p.table_name)) shardsOf.set(p.table_name, [])
    if (row) shardsOf.get(p.table_name)!.push(row)
  }
  const shardTables = new Set(placements.map((p) => p.shard_name))
  const rows: RolledUpRow[] = coordinator
    .filter((r) => !shardsOf.has(r.table_name) && !shardTables.has(r.table_name))
    .map((r) => ({...r, shards: null}))
  for (const [table, shards] of shardsOf) if (shards.length > 0) rows.push(rollUp(table, shards))
  return sortRows(
    rows.filter((r) => options.table === undefined || r.table_name.includes(options.table)),
    options.sort ?? 'name',
  )
}

const lastVacuum = (r: VacuumStatusRow) => {
  const times = [r.last_vacuum, r.last_autovacuum].filter((t): t is Date => t !== null)
  return times.length ? Math.max(...times.map(Number)) : null
}

/** vacuum/status' order: most dead first, longest unvacuumed (never first), or by name; ties by name. */
function sortRows(rows: RolledUpRow[], sort: VacuumSort): RolledUpRow[] {
  const key = (r: RolledUpRow): number =>
    sort === 'dead' ? -r.dead_tuples : sort === 'last-vacuum' ? (lastVacuum(r) ?? -Infinity) : 0
  return rows.sort(
    (a, b) => key(a) - key(b) || (a.table_name < b.table_name ? -1 : a.table_name > b.table_name ? 1 : 0),
  )
}
