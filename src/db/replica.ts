import {FluxError, isFluxError} from '../errors.js'
import {parseDuration} from '../util/time.js'
import {query} from './queries.js'
import {describeTarget, resolveTarget, type Target} from './resolve.js'
import type {Session} from './session.js'
import {inTransaction} from './transaction.js'

/** The flags of the read-only commands that may run on a standby (src/flags.ts replicaFlags). */
export interface ReplicaOptions {
  replica?: string
  'max-lag'?: string
  'require-replica'?: boolean
}

export interface ReadRoute {
  primary(): Promise<Session>
  replica(target: Target): Promise<Session>
  /** A line on stderr: why the work runs on the primary after all. */
  note(text: string): void
}

/**
 * The session a read-only command runs on: the replica when it can be reached and its replay is at
 * most --max-lag behind (measured on it before the work starts), else the primary with a note;
 * under --require-replica exit 3 (unreachable) or 6 (behind) instead. Without --replica: the primary.
 */
export async function readSession(options: ReplicaOptions, route: ReadRoute): Promise<Session> {
  if (!options.replica) return route.primary()
  const maxLagMs = parseDuration(options['max-lag'] ?? '30s', '--max-lag')
  const target = replicaTarget(options.replica)
  const where = `replica ${describeTarget(target)}`
  let session: Session
  let lag: {value: number | null; in_recovery: boolean; detail: string}
  try {
    session = await route.replica(target)
    lag = await inTransaction(
      session,
      'read',
      async (client) => (await client.query(query('replica/replay-lag').text)).rows[0],
    )
  } catch (error) {
    if (!isFluxError(error) || error.kind !== 'connection') throw error
    if (options['require-replica'])
      throw new FluxError(`${where} cannot be reached: ${error.message}`, {kind: 'connection', hint: error.hint})
    route.note(`${where} cannot be reached (${error.message}); running on the primary`)
    return route.primary()
  }
  // A "replica" that is not in recovery (a promoted standby) is as current as it gets.
  if (!lag.in_recovery || (lag.value !== null && lag.value * 1000 <= maxLagMs)) return session
  await session.close()
  const behind = lag.value === null ? `of unknown lag (${lag.detail})` : `${lag.value}s behind`
  if (options['require-replica']) {
    throw new FluxError(`${where} is ${behind}, more than --max-lag ${options['max-lag'] ?? '30s'}`, {
      kind: 'database',
      hint: 'wait for it to catch up, raise --max-lag, or leave out --require-replica to run on the primary',
    })
  }
  route.note(`${where} is ${behind}, more than --max-lag ${options['max-lag'] ?? '30s'}; running on the primary`)
  return route.primary()
}

/** A URL or keyword/value string as for --db-url; a bare word is a libpq service name (~/.pg_service.conf, PGSERVICEFILE). */
function replicaTarget(value: string, env: NodeJS.ProcessEnv = process.env): Target {
  if (!/^[\w.-]+$/.test(value)) return resolveTarget(value, env)
  const {DATABASE_URL: _primary, ...rest} = env
  return resolveTarget(undefined, {...rest, PGSERVICE: value})
}
