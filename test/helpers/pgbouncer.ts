import {spawn, spawnSync} from 'node:child_process'
import {chmodSync, mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {freePort, serverUser} from '../../src/sandbox/cluster.js'
import {runCli} from './cli.js'
import {adminUrl} from './db.js'

export const pgbouncer = spawnSync('sh', ['-c', 'command -v pgbouncer || ls /usr/sbin/pgbouncer'], {encoding: 'utf8'}).stdout.trim().split('\n')[0]

/** A PgBouncer in transaction mode in front of the test server (or another server of it, e.g. a standby, on serverPort); stopped at teardown. */
export async function startBouncer(t: {teardown: (fn: () => void) => void}, serverPort?: number): Promise<number> {
  const admin = new URL(adminUrl())
  const dir = join(process.env.FLUXADMIN_TEST_DIR!, `pgbouncer-${process.pid}-${serverPort ?? admin.port}`)
  mkdirSync(dir, {recursive: true})
  chmodSync(dir, 0o777)
  const port = await freePort()
  writeFileSync(join(dir, 'users.txt'), `"postgres" "${decodeURIComponent(admin.password)}"\n`, {mode: 0o644})
  writeFileSync(join(dir, 'pgbouncer.ini'), [
    '[databases]', `* = host=127.0.0.1 port=${serverPort ?? admin.port}`,
    '[pgbouncer]', 'listen_addr = 127.0.0.1', `listen_port = ${port}`, 'unix_socket_dir =',
    'auth_type = scram-sha-256', `auth_file = ${join(dir, 'users.txt')}`, 'pool_mode = transaction',
    'default_pool_size = 2', 'max_client_conn = 50', `logfile = ${join(dir, 'pgbouncer.log')}`,
  ].join('\n') + '\n', {mode: 0o644})
  const user = serverUser()
  const child = spawn(pgbouncer, [...(user ? ['-u', user.name] : []), join(dir, 'pgbouncer.ini')], {stdio: 'ignore'})
  t.teardown(() => child.kill('SIGTERM'))
  for (let i = 0; i < 50; i++) {
    const probe = await runCli(['db', 'tables', '--db-url', `postgres://postgres:x@127.0.0.1:${port}/postgres`, '--format', 'csv'])
    if (probe.code !== 3 || !/connection refused/.test(probe.stderr)) return port
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('pgbouncer did not start')
}
