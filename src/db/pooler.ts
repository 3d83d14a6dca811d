import {query} from './queries.js'
import type {Session} from './session.js'

/**
 * Why this connection looks like it goes through a pooler or proxy (undefined: direct). The server sees its
 * own listening port and the client's port; behind PgBouncer both differ from this end's.
 */
export async function poolerInBetween(session: Session): Promise<string | undefined> {
  const {
    rows: [row],
  } = await session.client.query<{server_port: number | null; client_port: number | null}>(
    query('db/backend-address').text,
  )
  const socket = (session.client as unknown as {connection?: {stream?: {localPort?: number; remotePort?: number}}})
    .connection?.stream
  const remotePort = socket?.remotePort
  const localPort = socket?.localPort
  if (row?.server_port != null && remotePort !== undefined && row.server_port !== remotePort) {
    return `the server listens on port ${row.server_port}, and this connection went to port ${remotePort}`
  }
  if (row?.client_port != null && row.client_port > 0 && localPort !== undefined && row.client_port !== localPort) {
    return `the server sees this connection coming from port ${row.client_port}, and it left here from port ${localPort}`
  }
  return undefined
}
