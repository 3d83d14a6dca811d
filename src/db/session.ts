import type pg from 'pg'
import {connectClient} from './connect.js'
import {query} from './queries.js'
import {decodeRaw} from './raw-text.js'
import {describeTarget, type Target} from './resolve.js'

export interface SessionSettings {
  statementTimeoutMs: number
  lockTimeoutMs: number
  idleInTransactionMs: number
}

export const DEFAULT_SETTINGS: SessionSettings = {
  statementTimeoutMs: 30_000,
  lockTimeoutMs: 5_000,
  idleInTransactionMs: 60_000,
}

/** What the server said about itself when the connection started (ParameterStatus): no round trip. */
export interface ServerInfo {
  /** e.g. `17.10` or `15.18 (Debian 15.18-0+deb12u1)`. */
  version: string
  /** server_version_num: 170010. */
  versionNum: number
  /** in_hot_standby (PostgreSQL 14+), kept current; undefined when not reported (e.g. through a pooler). */
  readonly inHotStandby: boolean | undefined
}

/** What inTransaction is doing on a session, for the signal handler: a change whose COMMIT returned stands. */
export interface TxActivity {
  /** BEGIN sent, COMMIT or ROLLBACK not yet returned: what kind of transaction it is. */
  open?: 'read' | 'change'
  /** The COMMIT of a change, while it is in flight. */
  committing?: Promise<unknown>
  /** Changes committed on this session. */
  committed: number
  /** Set by a signal that came after a commit, outside a change: the next transaction is refused. */
  stopped?: NodeJS.Signals
}

/** One connection: session settings are applied per transaction, so they hold through PgBouncer. */
export interface Session {
  client: pg.Client
  target: Target
  settings: SessionSettings
  server: ServerInfo
  activity: TxActivity
  close(): Promise<void>
}

/** The type oid of bigint[] (pg.types.builtins names scalar types only). */
const INT8_ARRAY = 1016

let parsersSet = false
function setTypeParsers(pg: typeof import('pg').default) {
  if (parsersSet) return
  parsersSet = true
  const asNumber = (text: string) => {
    const n = Number(text)
    return Number.isSafeInteger(n) || !/^-?\d+$/.test(text) ? n : text
  }
  pg.types.setTypeParser(pg.types.builtins.INT8, asNumber)
  pg.types.setTypeParser(pg.types.builtins.NUMERIC, asNumber)
  // bigint[] (Citus' global pids): numbers as bigint is, text `{1,2}` split the way pg's own int[] parser does.
  pg.types.setTypeParser(INT8_ARRAY as Parameters<typeof pg.types.setTypeParser>[0], (text: string) =>
    text === '{}'
      ? []
      : text
          .slice(1, -1)
          .split(',')
          .map((v) => (v === 'NULL' ? null : asNumber(v))),
  )
}

export async function openSession(target: Target, settings: SessionSettings = DEFAULT_SETTINGS): Promise<Session> {
  // pg (and the crypto it loads) is needed only once a command connects.
  const {default: pg} = await import('pg')
  setTypeParsers(pg)
  const {client, target: connected, status} = await connectClient(pg, target)
  if (status.get('server_encoding') === 'SQL_ASCII') await readRawBytes(client)
  let closed = false
  return {
    client,
    target: connected,
    settings,
    server: serverInfo(status),
    activity: {committed: 0},
    async close() {
      if (closed) return
      closed = true
      await client.end().catch(() => {})
    },
  }
}

let rawDecoding = false

/** A SQL_ASCII server sends its bytes unchecked; pg's decoding of text is replaced by decodeRaw (src/db/raw-text.ts). */
async function readRawBytes(client: pg.Client): Promise<void> {
  await client.query(query('db/client-encoding-raw').text)
  if (rawDecoding) return
  rawDecoding = true
  const {BufferReader} = await import('pg-protocol/dist/buffer-reader.js')
  const fields = BufferReader.prototype as unknown as {buffer: Buffer; offset: number; string(length: number): string}
  fields.string = function (this: typeof fields, length: number): string {
    const bytes = this.buffer.subarray(this.offset, this.offset + length)
    this.offset += length
    return decodeRaw(bytes)
  }
}

function serverInfo(status: Map<string, string>): ServerInfo {
  const version = status.get('server_version') ?? '0'
  return {
    version,
    versionNum: versionNum(version),
    get inHotStandby() {
      const value = status.get('in_hot_standby')
      return value === undefined ? undefined : value === 'on'
    },
  }
}

/** `17.10` -> 170010, `15.18 (Debian ...)` -> 150018, `18beta1` -> 180000. */
export function versionNum(version: string): number {
  const [, major = '0', minor = '0'] = /^(\d+)(?:\.(\d+))?/.exec(version) ?? []
  return Number(major) * 10_000 + Number(minor)
}

export function errorContext(target: Target) {
  return {
    target: describeTarget(target),
    database: target.database,
    user: target.user,
    sandbox: target.source === 'sandbox',
  }
}
