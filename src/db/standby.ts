import {FluxError, isFluxError} from '../errors.js'
import {query} from './queries.js'
import type {Session} from './session.js'

/** The one line every change on a standby fails with (exit 6). */
export function readOnlyStandby(session: Pick<Session, 'target'>): FluxError {
  return Object.assign(
    new FluxError(
      `${session.target.host}:${session.target.port} is a read-only standby; run this against the primary`,
      {
        kind: 'database',
        sqlstate: '25006',
        hint: 'connect to the primary; with a list of hosts, add target_session_attrs=read-write to find it',
      },
    ),
    {standby: true},
  )
}

/** The server is a standby (pg_is_in_recovery), not merely a session defaulting to read-only. */
export const isStandbyRefusal = (error: unknown): boolean =>
  isFluxError(error) && (error as {standby?: boolean}).standby === true

/**
 * Refuses a change before it starts when the connection reported in_hot_standby (PostgreSQL 14+,
 * no round trip). A pooler may not pass it on, or pass a stale one: then the write fails with 25006
 * and readOnlyFailure names the standby.
 */
export function assertPrimary(session: Session): void {
  if (session.server.inHotStandby === true) throw readOnlyStandby(session)
}

/**
 * A write refused as read-only (25006, or 0A000 for BEGIN READ WRITE during recovery): the standby
 * line when the server is in recovery, else undefined.
 */
export async function readOnlyFailure(session: Session, error: unknown): Promise<FluxError | undefined> {
  const {code, message} = error as {code?: string; message?: string}
  if (code !== '25006' && !(code === '0A000' && /read-write mode during recovery/.test(message ?? ''))) return undefined
  const inRecovery = await session.client.query(query('replica/in-recovery').text).then(
    (r) => r.rows[0]?.in_recovery === true,
    () => false,
  )
  return inRecovery ? readOnlyStandby(session) : undefined
}

/** A query the standby cancelled because replay needed what it read (SQLSTATE 40001 "conflict with recovery"). */
export function isRecoveryConflict(error: unknown): boolean {
  const e = error as {code?: string; message?: string}
  return e.code === '40001' && /conflict with recovery/i.test(e.message ?? '')
}

export function replicationConflict(error: Error, attempts: number): FluxError {
  return new FluxError(
    `replication conflict: the standby cancelled the query ${attempts} time${attempts === 1 ? '' : 's'} to replay WAL (${error.message})`,
    {
      kind: 'database',
      sqlstate: '40001',
      hint: 'on the standby raise max_standby_streaming_delay or turn on hot_standby_feedback, or run this against the primary',
    },
  )
}
