import type {ExecutionContext} from 'ava'
import pg from 'pg'
import {runCli} from './cli.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Starts a VACUUM of `table` throttled to a crawl on its own connection, polls `vacuum progress` until it shows
 * up and returns its row (or undefined after ~10 s); the vacuum is cancelled before this returns.
 */
export async function progressOfRunningVacuum(
  t: ExecutionContext,
  url: string,
  table: string,
): Promise<Record<string, unknown> | undefined> {
  const vacuumer = new pg.Client({connectionString: url})
  await vacuumer.connect()
  vacuumer.on('error', () => {})
  t.teardown(() => vacuumer.end().catch(() => {}))
  await vacuumer.query('SET vacuum_cost_delay = 100; SET vacuum_cost_limit = 1')
  const pid = (await vacuumer.query('SELECT pg_backend_pid() AS pid')).rows[0].pid
  const running = vacuumer.query(`VACUUM ${table}`).catch((e: Error) => e)
  let row: Record<string, unknown> | undefined
  for (let i = 0; i < 50 && !row; i++) {
    await sleep(200)
    const r = await runCli(['vacuum', 'progress', '--db-url', url, '--format', 'json'])
    if (r.code !== 0) throw new Error(`vacuum progress: exit ${r.code}: ${r.stderr}`)
    row = JSON.parse(r.stdout).find((p: {pid: number}) => p.pid === pid)
  }
  const admin = new pg.Client({connectionString: url})
  await admin.connect()
  await admin.query('SELECT pg_cancel_backend($1)', [pid])
  await admin.end()
  t.regex(String(await running), /canceling statement/)
  return row
}
