// bench/backup.js: `backup verify` against a bare `pg_restore -j2` into an empty database plus
// `SELECT count(*)` of every table, on the same dump, in the same run.
//
//   FLUXADMIN_SANDBOX_DIR=/var/lib/fluxadmin/sb-backup node bin/run.js sandbox start --size large
//   FLUXADMIN_SANDBOX_DIR=/var/lib/fluxadmin/sb-backup node bench/backup.js [--runs N]
//
// Needs `npm run build`. Goal: verify <= 1.3x the bare restore.
import {execFileSync, spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1] || 1) || 1
if (!process.env.FLUXADMIN_SANDBOX_DIR) {
  console.error('bench: set FLUXADMIN_SANDBOX_DIR to your own sandbox (started with --size large)')
  process.exit(2)
}

const cli = (args) => {
  const r = spawnSync(process.execPath, [BIN, ...args], {encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}})
  return {code: r.status, stdout: r.stdout, stderr: r.stderr}
}
const url = cli(['sandbox', 'url']).stdout.trim()
if (!url.startsWith('postgres')) {
  console.error('bench: the sandbox is not running: start it with `sandbox start --size large`')
  process.exit(2)
}
const u = new URL(url)
const pgEnv = {
  ...process.env,
  PGHOST: u.hostname,
  PGPORT: u.port,
  PGUSER: decodeURIComponent(u.username),
  PGPASSWORD: decodeURIComponent(u.password),
  PGDATABASE: 'postgres',
}
const psql = (db, sql) =>
  execFileSync('psql', ['-X', '-At', '-v', 'ON_ERROR_STOP=1', '-d', db, '-c', sql], {env: pgEnv, encoding: 'utf8'})
const seconds = (ms) => (ms / 1000).toFixed(2)

const dir = mkdtempSync(join(tmpdir(), 'fluxadmin-bench-backup-'))
try {
  const messages = psql(u.pathname.slice(1), 'SELECT count(*) FROM messages').trim()
  const t0 = performance.now()
  const created = cli(['backup', 'create', '--db-url', url, '--dir', dir, '--format', 'json'])
  if (created.code !== 0) throw new Error(`backup create failed: ${created.stderr}`)
  const [backup] = JSON.parse(created.stdout)
  console.log(
    `backup create: ${seconds(performance.now() - t0)} s, ${(backup.size_bytes / 1048576).toFixed(1)} MB, ${backup.rows} rows (${messages} messages)`,
  )

  const bare = []
  const verify = []
  let steps = []
  const runBare = (run) => {
    // Bare: createdb, pg_restore -j2, count(*) of every table, one after another as a script would.
    const db = `bench_bare_${process.pid}_${run}`
    const t0 = performance.now()
    psql('postgres', `CREATE DATABASE ${db} TEMPLATE template0`)
    execFileSync('pg_restore', ['-j', '2', '--no-owner', '--no-acl', '-d', db, backup.file], {
      env: pgEnv,
      stdio: 'inherit',
    })
    const tables = psql(db, "SELECT format('%I.%I', schemaname, relname) FROM pg_stat_user_tables ORDER BY 1")
      .trim()
      .split('\n')
    psql(db, tables.map((t) => `SELECT count(*) FROM ${t};`).join('\n'))
    bare.push(performance.now() - t0)
    psql('postgres', `DROP DATABASE ${db} WITH (FORCE)`)
  }
  const runVerify = () => {
    const t0 = performance.now()
    const result = cli(['backup', 'verify', backup.file, '--db-url', url, '--jobs', '2', '--format', 'json'])
    verify.push(performance.now() - t0)
    if (result.code !== 0) throw new Error(`backup verify exited ${result.code}: ${result.stderr}`)
    steps = JSON.parse(result.stdout)
    overhead.push(verify.at(-1) - steps.find((s) => s.name === 'restore').duration_ms)
  }
  const overhead = []
  // Alternate which goes first, so that neither always meets the other's leftovers (checkpoints, cache).
  for (let run = 1; run <= runs; run++) {
    if (run % 2) {
      runVerify()
      runBare(run)
    } else {
      runBare(run)
      runVerify()
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  const b = median(bare)
  const v = median(verify)
  console.log(`bare pg_restore -j2 + count(*) of every table: ${seconds(b)} s`)
  console.log(`fluxadmin backup verify --jobs 2 (7 steps):    ${seconds(v)} s`)
  console.log(`  ${steps.map((s) => `${s.name} ${seconds(s.duration_ms)}s`).join(', ')}`)
  console.log(`verify time beyond its own pg_restore (CLI start, checks, drop): ${seconds(median(overhead))} s`)
  console.log(
    '(verify restores its throwaway database with synchronous_commit=off and maintenance_work_mem=256MB; the bare restore uses the server defaults)',
  )
  console.log(`ratio: ${(v / b).toFixed(2)}x (goal <= 1.3x; median of ${runs} run${runs === 1 ? '' : 's'})`)
} finally {
  rmSync(dir, {recursive: true, force: true})
}
