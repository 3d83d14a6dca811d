import {clusterNodes, nodeLabel, openNodeSession, workersOf, type CitusNode} from '../citus/nodes.js'
import {mapDbError} from '../db/errors.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import type {CheckDef, CheckResult, Group, State} from './types.js'

/**
 * On a Citus coordinator, the server, activity, maintenance and replication checks run on every node: each
 * node is its own PostgreSQL, with its own transaction IDs, WAL, standbys, sessions and (on a worker) shards.
 * The app checks read the distributed tables through the coordinator, and the connection check is the coordinator's.
 */
const EVERY_NODE_GROUPS: Group[] = ['server', 'activity', 'maintenance', 'replication']

export const onEveryNode = (c: CheckDef) => EVERY_NODE_GROUPS.includes(c.group) && c.query !== undefined && !c.needs

/** Runs query checks on one session, into `results` (check.ts' runQueries). */
export type RunChecks = (session: Session, pending: CheckDef[], results: Map<string, CheckResult>) => Promise<void>

const RANK: Record<State, number> = {OK: 0, UNKNOWN: 1, WARNING: 2, CRITICAL: 3}

/**
 * Runs `pending` on every worker of the coordinator `session` and makes each result the worst over the nodes,
 * named in its detail (`worker 10.0.0.7:5432: ...`). A worker that cannot be reached makes them UNKNOWN for it
 * (the citus_nodes check is CRITICAL for it). On plain PostgreSQL, nothing changes.
 */
export async function checkEveryNode(
  session: Session,
  pending: CheckDef[],
  results: Map<string, CheckResult>,
  run: RunChecks,
): Promise<void> {
  if (pending.length === 0) return
  const nodes = await inTransaction(session, 'diagnostic', clusterNodes).catch(() => [] as CitusNode[])
  const coordinator = nodes.find((n) => n.role === 'coordinator')
  const workers = workersOf(nodes)
  if (!coordinator || workers.length === 0) return
  const perNode: Array<{node: CitusNode; results: Map<string, CheckResult>}> = [{node: coordinator, results}]
  for (const node of workers) {
    const out = new Map<string, CheckResult>()
    let worker: Session | undefined
    try {
      worker = await openNodeSession(session, node)
      await run(worker, pending, out)
    } catch (error) {
      const why = `cannot be reached: ${(mapDbError(error) as Error).message}`
      for (const c of pending) if (!out.has(c.name)) out.set(c.name, unknown(results.get(c.name)!, why))
    } finally {
      await worker?.close()
    }
    perNode.push({node, results: out})
  }
  for (const c of pending) {
    const all = perNode.map(({node, results: r}) => ({node, result: r.get(c.name)!}))
    results.set(c.name, worstOf(all))
  }
}

const unknown = (like: CheckResult, detail: string): CheckResult => ({...like, state: 'UNKNOWN', value: null, detail})

/** The worst state over the nodes; among equals, the value furthest past the thresholds. Its node leads the detail. */
export function worstOf(all: Array<{node: CitusNode; result: CheckResult}>): CheckResult {
  const score = (r: CheckResult) => (r.value === null ? -Infinity : r.direction === 'below' ? -r.value : r.value)
  const worst = all.reduce((a, b) => {
    const d = RANK[b.result.state] - RANK[a.result.state]
    return d > 0 || (d === 0 && score(b.result) > score(a.result)) ? b : a
  })
  const others = all.filter((x) => x !== worst)
  const summary = others.every((x) => x.result.state === 'OK')
    ? `${others.length} other node(s) OK`
    : `other nodes: ${others.map((x) => `${x.node.node} ${x.result.state}`).join(', ')}`
  return {...worst.result, detail: `${nodeLabel(worst.node)}: ${worst.result.detail} (${summary})`}
}
