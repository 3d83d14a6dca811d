import type pg from 'pg'
import {query, SQL_TAG} from './queries.js'
import {FluxError, isFluxError} from '../errors.js'
import {humanDuration} from '../util/time.js'

/** A session (or prepared transaction) that holds or awaits an ACCESS EXCLUSIVE lock a plain read would queue behind. */
export interface LockHolder {
  pid: number | null
  granted: boolean
  mode: string
  relation: number
  /** The table the locked index or TOAST table belongs to, else the relation itself. */
  table_oid: number
  relation_name: string
  /** Schema-qualified: `public.messages`. */
  table_name: string
  table_schema: string | null
  user: string | null
  application: string | null
  state: string | null
  xact_age_s: number | null
  wait_s: number | null
  prepared_gid: string | null
}

/** A figure read during an incident: its value, or the one line that says why it was skipped. */
export type Guarded<T> = {value: T; skipped?: undefined} | {value?: undefined; skipped: string}

/** How long a diagnostic statement waits for a lock (lock_timeout) before its figure is skipped (SQLSTATE 55P03). */
export const DIAGNOSTIC_LOCK_TIMEOUT_MS = 200

/** The server's lock timeout (not fluxadmin's own refusal, which already names the holder). */
export const isLockTimeout = (error: unknown) =>
  !isFluxError(error) && (error as {code?: string} | undefined)?.code === '55P03'
const SAVEPOINT = 'fluxadmin_figure'

export async function lockHolders(client: pg.ClientBase): Promise<LockHolder[]> {
  return (await client.query<LockHolder>(query('activity/lock-holders').text)).rows
}

const seconds = (s: number | null) => humanDuration(Math.max(0, s ?? 0) * 1000)

/** `pid 4242 (user app, application psql, idle in transaction, transaction open 2m05s) holds AccessExclusiveLock on public.messages`. */
export function describeHolder(h: LockHolder): string {
  const who =
    h.pid === null
      ? `prepared transaction '${h.prepared_gid ?? '?'}' (owner ${h.user ?? '?'}, prepared ${seconds(h.xact_age_s)} ago)`
      : `pid ${h.pid} (${[`user ${h.user ?? '?'}`, `application ${h.application || '(none)'}`, h.state, `transaction open ${seconds(h.xact_age_s)}`].filter(Boolean).join(', ')})`
  return h.granted
    ? `${who} holds ${h.mode} on ${h.relation_name}`
    : `${who} waits ${seconds(h.wait_s)} for ${h.mode} on ${h.relation_name}, and reads queue behind it`
}

/** Who holds (or queues for) the lock: the oldest holder, and how many more there are. */
function lockReason(holders: LockHolder[]): string {
  const [first] = holders
  if (!first)
    return `a lock was not granted within ${DIAGNOSTIC_LOCK_TIMEOUT_MS} ms (see \`fluxadmin locks --blocking\`)`
  return (
    describeHolder(first) +
    (holders.length > 1
      ? ` (and ${holders.length - 1} more lock${holders.length === 2 ? '' : 's'}: \`fluxadmin locks --blocking\`)`
      : '')
  )
}

/** One line for a skipped figure: what was skipped, and who holds (or queues for) the lock it needed. */
export const skipLine = (figure: string, holders: LockHolder[]) => `${figure} skipped: ${lockReason(holders)}`

/** The holders that lock one of these tables (schema-qualified: `public.messages`), or any when none are named. */
export const holdersOn = (holders: LockHolder[], tables?: string[]) =>
  tables ? holders.filter((h) => tables.includes(h.table_name)) : holders

/** The holders that lock a table of this schema (or its index or TOAST table). */
export const holdersIn = (holders: LockHolder[], schema: string) => holders.filter((h) => h.table_schema === schema)

/**
 * Reads one figure inside the caller's diagnostic transaction without ever waiting long behind a lock:
 * when `tables` are named and one is locked, the figure is skipped before anything queues; otherwise it runs
 * under a savepoint, and a lock timeout (55P03) skips it too, leaving the transaction usable for the next figure.
 * Other errors roll back to the savepoint and are thrown.
 */
export async function guardFigure<T>(
  client: pg.ClientBase,
  figure: string,
  fn: () => Promise<T>,
  tables?: string[],
): Promise<Guarded<T>> {
  if (tables) {
    const holders = holdersOn(await lockHolders(client), tables)
    if (holders.length > 0) return {skipped: skipLine(figure, holders)}
  }
  await client.query(`${SQL_TAG} SAVEPOINT ${SAVEPOINT}`)
  try {
    const value = await fn()
    await client.query(`${SQL_TAG} RELEASE SAVEPOINT ${SAVEPOINT}`)
    return {value}
  } catch (error) {
    await client.query(`${SQL_TAG} ROLLBACK TO SAVEPOINT ${SAVEPOINT}`).catch(() => {
      throw error
    })
    if (!isLockTimeout(error)) throw error
    return {skipped: skipLine(figure, await lockHolders(client))}
  }
}

/** Rows per table, leaving out the tables that are locked (one skip line each): for catalog-wide size and count figures. */
export async function unlockedTables(
  client: pg.ClientBase,
  figure: string,
): Promise<{locked: number[]; skipped: string[]}> {
  const holders = await lockHolders(client)
  const byTable = new Map<string, LockHolder[]>()
  for (const h of holders) byTable.set(h.table_name, [...(byTable.get(h.table_name) ?? []), h])
  return {
    locked: [...new Set(holders.flatMap((h) => [h.relation, h.table_oid]))],
    skipped: [...byTable].map(([table, on]) => skipLine(`${figure} of ${table}`, on)),
  }
}

/** Before reading these tables: when one is locked, fails at once with the holder named, never joining the lock queue. */
export async function refuseLocked(client: pg.ClientBase, figure: string, tables: string[]): Promise<void> {
  const holders = holdersOn(await lockHolders(client), tables)
  if (holders.length > 0)
    throw lockError(`${figure} not read, so as not to wait behind a lock: ${lockReason(holders)}`, holders)
}

/** A diagnostic that could not read without waiting: one line naming the lock holder (exit 6), instead of "lock timeout". */
export async function lockedOut(client: pg.ClientBase): Promise<Error> {
  const holders = await lockHolders(client).catch(() => [])
  return lockError(`could not read without waiting behind a lock: ${lockReason(holders)}`, holders)
}

function lockError(message: string, holders: LockHolder[]): FluxError {
  const pid = holders.find((h) => h.pid !== null)?.pid
  return new FluxError(message, {
    kind: 'database',
    sqlstate: '55P03',
    hint: pid
      ? `retry once it is released, or end it: \`fluxadmin backend terminate ${pid}\``
      : 'retry once it is released; `fluxadmin locks --blocking` shows who holds what',
  })
}
