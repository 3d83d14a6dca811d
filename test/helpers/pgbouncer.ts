import {spawn, spawnSync} from 'node:child_process'
import {chmodSync, mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import test from 'ava'
import {freePort, serverUser} from '../../src/cluster/control.js'
import {runCli} from './cli.js'
import {adminUrl, freshDb} from './db.js'

export const pgbouncer = spawnSync('sh', ['-c', 'command -v pgbouncer || ls /usr/sbin/pgbouncer'], {encoding: 'utf8'})
  .stdout.trim()
  .split('\n')[0]
// CI installs pgbouncer (.ci/run); elsewhere the test is skipped with a note rather than failing.
export const maybe = pgbouncer || process.env.CI ? test.serial : test.skip

/** A PgBouncer in transaction mode (pool size 2) in front of the test server (or its standby on serverPort); postgres may use its admin console. */
export async function startBouncer(t: {teardown: (fn: () => void) => void}, serverPort?: number): Promise<number> {
  const admin = new URL(adminUrl())
  const dir = join(process.env.FLUXADMIN_TEST_DIR!, `pgbouncer-${process.pid}-${serverPort ?? admin.port}`)
  mkdirSync(dir, {recursive: true})
  chmodSync(dir, 0o777)
  const port = await freePort()
  writeFileSync(join(dir, 'users.txt'), `"postgres" "${decodeURIComponent(admin.password)}"\n`, {mode: 0o644})
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=127.0.0.1 port=${serverPort ?? admin.port}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = scram-sha-256',
      `auth_file = ${join(dir, 'users.txt')}`,
      'pool_mode = transaction',
      'default_pool_size = 2',
      'admin_users = postgres',
      'max_client_conn = 50',
      `logfile = ${join(dir, 'pgbouncer.log')}`,
    ].join('\n') + '\n',
    {mode: 0o644},
  )
  const user = serverUser()
  const child = spawn(pgbouncer, [...(user ? ['-u', user.name] : []), join(dir, 'pgbouncer.ini')], {stdio: 'ignore'})
  t.teardown(() => child.kill('SIGTERM'))
  for (let i = 0; i < 50; i++) {
    const probe = await runCli([
      'db',
      'tables',
      '--db-url',
      `postgres://postgres:x@127.0.0.1:${port}/postgres`,
      '--format',
      'csv',
    ])
    if (probe.code !== 3 || !/connection refused/.test(probe.stderr)) return port
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('pgbouncer did not start')
}

/** A fresh database and its URL through a PgBouncer in transaction mode. */
export async function pooledDb(t: Parameters<typeof freshDb>[0] & {teardown: (fn: () => void) => void}) {
  const db = await freshDb(t)
  const url = new URL(db.url)
  url.port = String(await startBouncer(t))
  return {db, url: url.toString()}
}
