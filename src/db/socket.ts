import net from 'node:net'

const READ_BUFFER = 64 * 1024

/**
 * A plain (not TLS) connection's socket that reads into one buffer of its own, again and again.
 * pg gets each read as a 'data' event with a copy, as from any socket. A COPY may instead take
 * the reads straight from that buffer (`tap`) and keep what it needs: a socket's own reads are a
 * new 64 kB ArrayBuffer each, and a 1M-row export left some 30 MB of them waiting for the
 * garbage collector at any time.
 */
export class ReusingSocket extends net.Socket {
  /** Gets each read while set; returning false pauses the socket until resume(). */
  tap: ((data: Buffer) => boolean) | undefined

  constructor() {
    const self: {socket?: ReusingSocket} = {}
    // net.Socket takes onread (as net.connect does, which passes it on); @types/node lists it for connect only.
    const onread = {
      buffer: Buffer.allocUnsafe(READ_BUFFER),
      callback: (n: number, buffer: Buffer) => self.socket!.received(buffer.subarray(0, n)),
    }
    super({onread} as net.SocketConstructorOpts)
    self.socket = this
  }

  private received(data: Buffer): boolean {
    if (this.tap) return this.tap(data)
    this.emit('data', Buffer.from(data))
    return true
  }
}
