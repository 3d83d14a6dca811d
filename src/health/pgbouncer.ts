import type {Target} from '../db/resolve.js'
import {openSession} from '../db/session.js'
import type {CheckRow, Pool, PoolData} from './types.js'

/**
 * Reads PgBouncer's admin console (the `pgbouncer` database; the user must be in admin_users or
 * stats_users). These are console commands, not SQL: the console speaks only simple queries.
 */
export async function readPools(target: Target): Promise<PoolData> {
  const session = await openSession(target)
  try {
    const pools = (await session.client.query('SHOW POOLS')).rows as Array<Omit<Pool, 'pool_size'>>
    const sizes = new Map(
      ((await session.client.query('SHOW DATABASES')).rows as Array<{name: string; pool_size: number}>).map((d) => [
        d.name,
        Number(d.pool_size),
      ]),
    )
    const own = pools.filter((p) => p.database !== 'pgbouncer')
    // A database served through the `*` fallback may be missing from SHOW DATABASES: it gets default_pool_size.
    const fallback = own.some((p) => !sizes.has(p.database))
      ? Number(
          ((await session.client.query('SHOW CONFIG')).rows as Array<{key: string; value: string}>).find(
            (c) => c.key === 'default_pool_size',
          )?.value ?? 0,
        )
      : 0
    return {pools: own.map((p) => ({...p, pool_size: sizes.get(p.database) ?? (fallback || null)}))}
  } finally {
    await session.close()
  }
}

const name = (p: Pool) => `${p.database}/${p.user}`
const wait = (p: Pool) => Number(p.maxwait) + Number(p.maxwait_us ?? 0) / 1e6
const usage = (p: Pool) => (p.pool_size ? Math.round((1000 * Number(p.sv_active)) / p.pool_size) / 10 : 0)
const describe = (p: Pool) =>
  `${name(p)}: ${p.cl_waiting} waiting, ${p.cl_active} active clients, ${p.sv_active} of ${p.pool_size ?? '?'} server connections busy, longest wait ${wait(p)}s (${p.pool_mode} mode)`
const ADVICE =
  'find the long transactions holding server connections (health check --only activity), or raise pool_size / default_pool_size'

function worst(data: PoolData, by: (p: Pool) => number): Pool | undefined {
  return data.pools.reduce<Pool | undefined>((a, b) => (a === undefined || by(b) > by(a) ? b : a), undefined)
}

export function pgbouncerWaiting(data: PoolData): CheckRow {
  const waiting = data.pools.filter((p) => Number(p.cl_waiting) > 0)
  const total = waiting.reduce((n, p) => n + Number(p.cl_waiting), 0)
  return {
    value: total,
    detail:
      total === 0
        ? `no clients waiting in ${data.pools.length} pool(s)`
        : `${waiting.map(describe).join('; ')}; ${ADVICE}`,
  }
}

export function pgbouncerWait(data: PoolData): CheckRow {
  const p = worst(data, wait)
  return {value: p ? wait(p) : 0, detail: p && wait(p) > 0 ? `${describe(p)}; ${ADVICE}` : 'no client is waiting'}
}

export function pgbouncerPoolUsage(data: PoolData): CheckRow {
  const p = worst(data, usage)
  return {value: p ? usage(p) : 0, detail: p ? describe(p) : 'no pools yet'}
}
