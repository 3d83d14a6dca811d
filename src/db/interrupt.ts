import {connect} from 'node:net'
import {socketPath} from './resolve.js'
import type {Session} from './session.js'

const CANCEL_REQUEST_CODE = 80877102
const CANCEL_WAIT_MS = 3000

/**
 * What Ctrl-C does in psql: a cancel request for the statement the session runs (the protocol's own,
 * on a new socket, needing no login), then the connection closed, so the server rolls back and
 * releases every lock now instead of when the statement would have ended.
 */
export async function cancelAndClose(session: Session): Promise<void> {
  const {host, port, processID, secretKey} = session.client as unknown as {
    host: string
    port: number
    processID: number | null
    secretKey: number | null
  }
  if (processID !== null && secretKey !== null) await sendCancel(host, port, processID, secretKey).catch(() => {})
  // Not end(): it would queue behind the statement being cancelled.
  ;(session.client as unknown as {connection?: {stream?: {destroy(): void}}}).connection?.stream?.destroy()
}

function sendCancel(host: string, port: number, pid: number, secret: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = host.startsWith('/') ? connect(socketPath(host, port)) : connect(port, host)
    const timer = setTimeout(() => socket.destroy(), CANCEL_WAIT_MS)
    const packet = Buffer.alloc(16)
    packet.writeInt32BE(16, 0)
    packet.writeInt32BE(CANCEL_REQUEST_CODE, 4)
    packet.writeInt32BE(pid, 8)
    packet.writeInt32BE(secret, 12)
    socket.on('connect', () => socket.end(packet))
    socket.on('error', reject)
    // The server closes the socket once it has passed the request on to the backend.
    socket.on('close', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}
