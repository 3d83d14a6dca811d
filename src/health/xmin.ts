import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {formatValue} from './render.js'
import type {CheckContext, CheckRow} from './types.js'

/** One thing that holds the xmin horizon back (vacuum/blockers): VACUUM keeps every row deleted after its xmin. */
export interface BlockerRow {
  kind: 'session' | 'replication_slot' | 'prepared_transaction' | 'standby'
  pid: number | null
  name: string | null
  user: string | null
  /** null: it holds back every database (a physical slot, a standby's feedback). */
  database: string | null
  state: string | null
  xmin: string | null
  xmin_age: number | null
  catalog_xmin_age: number | null
  held_s: number | null
  this_database: boolean
  query: string | null
}

export const BLOCKER_COLUMNS = [
  'kind',
  'pid',
  'name',
  'user',
  'database',
  'state',
  'xmin',
  'xmin_age',
  'catalog_xmin_age',
  'held_s',
  'this_database',
  'query',
]

/** Sessions, replication slots, prepared transactions and standbys holding the xmin horizon, oldest first. */
export async function vacuumBlockers(session: Session): Promise<BlockerRow[]> {
  return inTransaction(
    session,
    'diagnostic',
    async (client) => (await client.query<BlockerRow>(query('vacuum/blockers').text)).rows,
  )
}

/** A holder younger than this (in transactions and in time) is ordinary traffic, not worth naming beside dead tuples. */
const NOTABLE_AGE = 1000
const NOTABLE_SECONDS = 60

const age = (r: BlockerRow) => Math.max(r.xmin_age ?? 0, r.catalog_xmin_age ?? 0)
const count = (n: number) => n.toLocaleString('en-US')
const oneLine = (q: string | null) => (q ?? '').replace(/\s+/g, ' ').replace(/;\s*$/, '').slice(0, 120)

/** `pid 4242 (user app, application psql, database flux, idle in transaction for 3m 20s) holds it 45,012 transactions back; ...` */
export function describeBlocker(r: BlockerRow): string {
  const back = `${count(age(r))} transactions back${r.held_s === null ? '' : ` (${formatValue(Math.round(r.held_s), 'seconds')})`}`
  switch (r.kind) {
    case 'session':
      return `pid ${r.pid} (user ${r.user ?? '?'}, application ${r.name || '(none)'}, database ${r.database}, ${r.state ?? 'no state'}) holds it ${back}: ${oneLine(r.query)}; end it: \`fluxadmin backend terminate ${r.pid}\``
    case 'replication_slot':
      return `replication slot ${r.name} (${r.query}, ${r.state}) holds ${r.xmin_age === null ? 'catalog_xmin' : 'xmin'} ${back}; drop it if nobody consumes it: SELECT pg_drop_replication_slot('${r.name}')`
    case 'prepared_transaction':
      return `prepared transaction '${r.name}' (owner ${r.user}, database ${r.database}) holds it ${back}; COMMIT PREPARED or ROLLBACK PREPARED it`
    case 'standby':
      return `standby ${r.name || '(unnamed)'} (walsender pid ${r.pid}, ${r.query}) holds it ${back}: a long query on the standby`
  }
}

/** The xmin_horizon check: the oldest holder, in transactions, of any database (`--db`: of that one's tables). */
export function xminHorizon(rows: Array<Record<string, unknown>>, ctx: CheckContext): CheckRow {
  const all = (rows as unknown as BlockerRow[]).filter(
    (r) => ctx.database === null || r.database === null || r.kind === 'replication_slot' || r.database === ctx.database,
  )
  const [oldest] = all
  if (!oldest) return {value: null, detail: 'nothing holds the xmin horizon'}
  return {
    value: age(oldest),
    detail: `${all.length} holder(s) of the xmin horizon; oldest: ${describeBlocker(oldest)} (\`fluxadmin vacuum blockers\` lists them)`,
  }
}

/** The dead_tuples check's advice: the holder of this database's horizon when one is old enough to matter, else VACUUM. */
export function deadTuples(
  rows: Array<Record<string, unknown>>,
  blockers: Array<Record<string, unknown>> = [],
): CheckRow | undefined {
  const row = rows[0] as CheckRow | undefined
  if (!row || row.value === null) return row
  const holder = (blockers as unknown as BlockerRow[]).find(
    (b) => b.this_database && (age(b) >= NOTABLE_AGE || (b.held_s ?? 0) >= NOTABLE_SECONDS),
  )
  return {
    ...row,
    detail: holder
      ? `${row.detail}; VACUUM cannot remove rows deleted after the xmin horizon, and ${describeBlocker(holder)}`
      : `${row.detail}; VACUUM it, and look for long transactions holding the horizon`,
  }
}
