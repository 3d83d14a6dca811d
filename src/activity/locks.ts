import type pg from 'pg'
import {acrossNodes} from '../citus/nodes.js'
import {query} from '../db/queries.js'
import {redactQueries} from '../db/redact.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'

/** On a Citus coordinator pid and blocked_by are global pids, and node is where the lock is. */
export interface LockRow {
  pid: number
  node?: string
  locktype: string
  mode: string
  granted: boolean
  relation: string | null
  wait_s: number | null
  blocked_by: number[]
  state: string | null
  database: string | null
  user: string | null
  application: string | null
  query: string | null
}

/** A session that waits for a lock or holds one somebody waits for. */
export interface BlockingRow {
  pid: number
  /** On a Citus coordinator: the session's node (pid and blocked_by are global pids). */
  node?: string | null
  blocked_by: number[]
  waiting_mode: string | null
  held_modes: string | null
  locktype: string | null
  relation: string | null
  wait_s: number | null
  xact_age_s: number | null
  state: string | null
  database: string | null
  user: string | null
  application: string | null
  query: string | null
  /** Set on the row of a prepared transaction (pid 0: it has no process) that blocks sessions. */
  prepared_gid?: string | null
  /** address:port of the client, `local` for a socket (null for a prepared transaction). */
  client?: string | null
}

/** One line of the lock tree: a blocker at depth 0, the sessions it blocks below it. */
export interface LockTreeRow extends BlockingRow {
  depth: number
  /** `1234`, `└─ 1240`, `   └─ 1251`: the pid indented under its blocker. */
  tree: string
  /** The pid this line hangs under (null for a root). */
  parent: number | null
}

/** Every lock (pg_locks); on a Citus coordinator, of every node (citus_locks), by global pid with the node. */
export function listLocks(session: Session): Promise<LockRow[]> {
  return inTransaction(session, 'diagnostic', async (client) => {
    const citus = await acrossNodes(client, session)
    return redactQueries((await client.query(query(citus ? 'activity-citus/locks' : 'activity/locks').text)).rows)
  })
}

/**
 * Runs activity/blocking on a client that is already in a transaction (the dashboard's tick); `citus`: the lock
 * waits of every node, distributed ones too (activity-citus/blocking, citus_lock_waits), by global pid.
 */
export async function fetchBlocking(client: pg.ClientBase, citus = false): Promise<BlockingRow[]> {
  return redactQueries((await client.query(query(citus ? 'activity-citus/blocking' : 'activity/blocking').text)).rows)
}

export function listBlocking(session: Session): Promise<LockTreeRow[]> {
  return inTransaction(session, 'diagnostic', async (client) =>
    blockingTree(await fetchBlocking(client, await acrossNodes(client, session))),
  )
}

/**
 * Orders blocking rows as a forest: every session that blocks others without being blocked is a
 * root; a session with several blockers appears under each of them. Cycles (a deadlock before the
 * detector breaks it) are cut at the first repeated pid; sessions only in cycles become roots.
 */
export function blockingTree(rows: BlockingRow[]): LockTreeRow[] {
  const byPid = new Map(rows.map((r) => [r.pid, r]))
  const children = new Map<number, BlockingRow[]>()
  for (const row of rows) {
    for (const blocker of row.blocked_by) {
      if (!children.has(blocker)) children.set(blocker, [])
      children.get(blocker)!.push(row)
    }
  }
  const out: LockTreeRow[] = []
  const seen = new Set<number>()
  const visit = (row: BlockingRow, depth: number, parent: number | null, path: Set<number>) => {
    seen.add(row.pid)
    const label = row.prepared_gid == null ? String(row.pid) : `prepared ${row.prepared_gid}`
    out.push({...row, depth, parent, tree: depth === 0 ? label : `${'   '.repeat(depth - 1)}└─ ${label}`})
    const next = new Set(path).add(row.pid)
    for (const child of (children.get(row.pid) ?? []).sort((a, b) => a.pid - b.pid)) {
      if (!next.has(child.pid)) visit(child, depth + 1, row.pid, next)
    }
  }
  const isRoot = (r: BlockingRow) => r.blocked_by.every((pid) => !byPid.has(pid))
  for (const row of [...rows].sort((a, b) => a.pid - b.pid)) if (isRoot(row)) visit(row, 0, null, new Set())
  for (const row of [...rows].sort((a, b) => a.pid - b.pid)) if (!seen.has(row.pid)) visit(row, 0, null, new Set())
  return out
}
