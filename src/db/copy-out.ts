import {Readable} from 'node:stream'
import type pg from 'pg'
import {BlockPool} from './copy-blocks.js'
import {CopyOutParser, type CopyOutForm} from './copy-out-parser.js'
import {ReusingSocket} from './socket.js'

export type {CopyOutForm} from './copy-out-parser.js'

/**
 * A pg query that streams a COPY TO STDOUT straight off the connection's socket through
 * CopyOutParser (pg-copy-streams cuts and joins a Buffer per row: 45 ms of a 100k-row JSON export).
 * While the COPY runs, the socket's bytes come here instead of to pg's parser; from the message
 * after the data on, they go back to it. The stream ends once the command completed, so rowCount
 * is the server's count by then.
 *
 * A lending stream on a ReusingSocket (a plain connection) takes the socket's reads from its one
 * buffer into a BlockPool, and its chunks are lent: each must be given back with release() once
 * written, or its block is never used again (memory, never wrong bytes).
 */
export class CopyOutStream extends Readable {
  rowCount = 0
  private readonly parser: CopyOutParser
  private connection?: pg.Connection
  private pgData?: (chunk: Buffer) => void
  /** Stopped by its consumer: the rest of the COPY is read and dropped. */
  private discarding = false
  private readonly onData = (chunk: Buffer) => this.parse(chunk)
  private readonly pool: BlockPool | undefined
  private tapped?: ReusingSocket

  constructor(
    private readonly text: string,
    form: CopyOutForm,
    options: {lend?: boolean} = {},
  ) {
    // Chunk by chunk (objectMode): a byte stream's read() joins all it holds into one new Buffer,
    // a copy of the whole export that kept a 1M-row JSON export's peak RSS 10 MB higher. Up to 16
    // socket chunks (1 MB) keep the socket flowing while the consumer writes.
    super({objectMode: true, highWaterMark: 16})
    this.parser = new CopyOutParser(form)
    this.pool = options.lend ? new BlockPool() : undefined
    // A COPY the server refuses (permission denied) can fail before its consumer starts reading
    // (while an --out file is opened): the error is kept (errored) and thrown by the iteration or
    // pipeline that comes, never as an unhandled 'error' event that ends the process.
    this.on('error', () => {})
  }

  /**
   * Called by pg when the query's turn comes. The socket's reads come through its tap (lending) or
   * as 'data' events, each its own Buffer; either way the socket pauses while the consumer is full.
   */
  submit(connection: pg.Connection): void {
    this.connection = connection
    if (this.pool && connection.stream instanceof ReusingSocket) {
      this.tapped = connection.stream
      this.tapped.tap = (data) => this.parseLent(data)
      connection.query(this.text)
      return
    }
    this.pgData = connection.stream.listeners('data')[0] as (chunk: Buffer) => void
    connection.stream.removeListener('data', this.pgData)
    connection.stream.on('data', this.onData)
    connection.query(this.text)
  }

  override _read(): void {
    this.connection?.stream.resume()
  }

  /** A chunk handed out by this stream is written: its bytes may be overwritten. */
  release(chunk: Buffer): void {
    this.pool?.release(chunk)
  }

  private parseLent(data: Buffer): boolean {
    const result = this.feed(this.pool!.copy(data))
    if (!result) return true
    const wanted = this.hand(result.data, this.pool)
    if (!result.rest) return wanted
    this.detach(result.rest)
    return true
  }

  private parse(chunk: Buffer): void {
    const result = this.feed(chunk)
    if (!result) return
    const wanted = this.hand(result.data)
    if (result.rest) this.detach(result.rest)
    else if (!wanted) this.connection?.stream.pause()
  }

  /** Pushes the data (lent from `pool` when given) unless discarding; whether more is wanted. */
  private hand(data: Buffer[], pool?: BlockPool): boolean {
    let wanted = true
    if (this.discarding) return wanted
    for (const chunk of data) {
      if (chunk.length === 0) continue
      pool?.lend(chunk)
      wanted = this.push(chunk)
    }
    return wanted
  }

  private feed(chunk: Buffer): ReturnType<CopyOutParser['feed']> | undefined {
    try {
      return this.parser.feed(chunk)
    } catch (error) {
      // The connection is mid-COPY with bytes pg cannot read: the caller drops it.
      this.detach()
      this.destroy(error as Error)
      return undefined
    }
  }

  private detach(rest?: Buffer): void {
    const c = this.connection
    if (!c) return
    this.connection = undefined
    if (this.tapped) {
      this.tapped.tap = undefined
      // The rest lies in a block: pg keeps what it reads, so it gets a copy.
      if (rest && rest.length > 0) this.tapped.emit('data', Buffer.from(rest))
      return
    }
    c.stream.removeListener('data', this.onData)
    // Without the bytes after the COPY the connection is unusable: the caller drops it.
    if (!rest) return
    c.stream.on('data', this.pgData!)
    if (rest.length > 0) this.pgData!(rest)
    c.stream.resume()
  }

  /**
   * Stopped by its consumer: the rest of the COPY is read and dropped, so that the connection goes on
   * (a ROLLBACK gets its answer). A caller that will not wait for it drops the connection instead.
   */
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.discarding = true
    this.connection?.stream.resume()
    callback(error)
  }

  handleError(error: Error): void {
    this.destroy(error)
  }

  handleCommandComplete(message: {text?: string}): void {
    this.rowCount = Number(/^COPY (\d+)/.exec(message.text ?? '')?.[1] ?? 0)
    this.push(null)
  }

  handleReadyForQuery(): void {}
}
