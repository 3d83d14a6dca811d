import {clusterNodes, workersOf} from '../citus/nodes.js'
import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import type {CheckRow} from './types.js'

/** The citus_nodes check: every node of the cluster reaches every other; OK with nothing to check off Citus. */
export async function citusNodes(session: Session): Promise<CheckRow> {
  return inTransaction(session, 'diagnostic', async (client) => {
    const nodes = await clusterNodes(client)
    if (nodes.length === 0) return {value: null, detail: 'not a Citus database (no citus extension): nothing to check'}
    if (workersOf(nodes).length === 0)
      return {value: 0, detail: 'a Citus coordinator without workers: nothing to check (citus_add_node adds them)'}
    return (await client.query<CheckRow>(query('health/citus-nodes').text)).rows[0]
  })
}
