// bench/pitr.js: `backup pitr verify` to a restore point against a bare `pgbackrest restore` + start +
// `SELECT count(*)` of every table, on the same stanza, in the same run, alternating which goes first.
//
//   npm run build && node bench/pitr.js [--size small|medium] [--runs N]
//
// Builds its own cluster that archives with pgBackRest into a temporary repository (the tests' fixture),
// seeded with the sandbox's demo data, one full backup, then a tenth of the messages updated, a restore
// point and a WAL switch, so that both sides restore the backup and replay WAL. Goal: the drill <= 1.3x.
import {execFileSync, spawnSync} from 'node:child_process'
import {chownSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {register} from 'tsx/esm/api'

register()
const {pitrCluster, STANZA} = await import('../test/pitr-fixture.ts')
const {seed} = await import('../src/sandbox/seed.ts')
const {serverUser, freePort} = await import('../src/cluster/control.ts')

const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const arg = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback)
const runs = Number(arg('--runs', 3)) || 3
const size = arg('--size', 'small')
const seconds = (ms) => (ms / 1000).toFixed(2)
const user = serverUser()
const asServer = {uid: user?.uid, gid: user?.gid}
const cli = (args) => {
  const r = spawnSync(process.execPath, [BIN, ...args], {encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}})
  return {code: r.status, stdout: r.stdout, stderr: r.stderr}
}

let t0 = performance.now()
const cluster = await pitrCluster({beforeBackup: (client) => seed(client, size)})
const rpDir = mkdtempSync(join(tmpdir(), 'fluxadmin-bench-rp-'))
try {
  await cluster.pg.query("UPDATE messages SET content = content || ' (edited)' WHERE id::text < '1a'")
  const created = cli(['backup', 'restore-point', 'bench', '--dir', rpDir, '--db-url', cluster.url, '--format', 'json'])
  if (created.code !== 0) throw new Error(`backup restore-point failed: ${created.stderr}`)
  await cluster.pg.query("UPDATE messages SET content = content || ' (later)' WHERE id::text < '08'")
  await cluster.switchWal()
  const {
    rows: [info],
  } = await cluster.pg.query(
    `SELECT (SELECT count(*) FROM messages) AS messages, pg_size_pretty(pg_database_size(current_database())) AS size`,
  )
  console.log(
    `set-up (${size}: ${info.messages} messages, ${info.size}; full backup; WAL to replay): ${seconds(performance.now() - t0)} s`,
  )

  const tables = (psql) =>
    psql("SELECT format('%I.%I', schemaname, relname) FROM pg_stat_user_tables ORDER BY 1").trim().split('\n')
  const runBare = () => {
    // As a script would: pgbackrest restore to the name, start, wait for promotion, count every table, stop.
    const base = mkdtempSync(join(tmpdir(), 'fluxadmin-bench-bare-'))
    const data = join(base, 'data')
    mkdirSync(data, {mode: 0o700})
    if (user) {
      chownSync(base, user.uid, user.gid)
      chownSync(data, user.uid, user.gid)
    }
    const t0 = performance.now()
    try {
      execFileSync(
        'pgbackrest',
        [
          `--config=${cluster.config}`,
          `--stanza=${STANZA}`,
          `--pg1-path=${data}`,
          '--archive-mode=off',
          '--type=name',
          '--target=bench',
          '--target-action=promote',
          'restore',
        ],
        {...asServer, cwd: '/', stdio: 'inherit'},
      )
      const port = String(portFor.next)
      execFileSync(
        join(cluster.spec.binDir, 'pg_ctl'),
        [
          '-D',
          data,
          '-l',
          join(base, 'log'),
          '-w',
          '-o',
          `-p ${port} -c listen_addresses='' -c unix_socket_directories=${base}`,
          'start',
        ],
        {...asServer, cwd: '/', stdio: 'ignore'},
      )
      const psql = (sql) =>
        execFileSync('psql', ['-X', '-At', '-h', base, '-p', port, '-U', 'postgres', '-d', 'fluxstudio', '-c', sql], {
          encoding: 'utf8',
        })
      while (psql('SELECT pg_is_in_recovery()').trim() === 't') execFileSync('sleep', ['0.1'])
      psql(
        tables(psql)
          .map((t) => `SELECT count(*) FROM ${t};`)
          .join('\n'),
      )
      const work = performance.now() - t0
      execFileSync(join(cluster.spec.binDir, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], {
        ...asServer,
        cwd: '/',
        stdio: 'ignore',
      })
      rmSync(base, {recursive: true, force: true})
      bareWithCleanup.push(performance.now() - t0)
      return work
    } finally {
      rmSync(base, {recursive: true, force: true})
    }
  }
  const portFor = {next: await freePort()}
  const bare = []
  const bareWithCleanup = []
  const drill = []
  const drillWithoutCleanup = []
  let steps = []
  const runDrill = () => {
    const t0 = performance.now()
    const result = cli([
      'backup',
      'pitr',
      'verify',
      '--db-url',
      cluster.url,
      '--stanza',
      STANZA,
      '--pgbackrest-config',
      cluster.config,
      '--restore-point',
      'bench',
      '--dir',
      rpDir,
      '--jobs',
      '2',
      '--format',
      'json',
    ])
    drill.push(performance.now() - t0)
    if (result.code !== 0) throw new Error(`backup pitr verify exited ${result.code}: ${result.stderr}${result.stdout}`)
    steps = JSON.parse(result.stdout)
    drillWithoutCleanup.push(drill.at(-1) - steps.find((s) => s.name === 'cleanup').duration_ms)
  }
  for (let run = 1; run <= runs; run++) {
    if (run % 2) {
      runDrill()
      bare.push(runBare())
    } else {
      bare.push(runBare())
      runDrill()
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  const b = median(bare)
  const d = median(drill)
  console.log(
    `bare pgbackrest restore + start + count(*) of every table: ${seconds(b)} s  (runs: ${bare.map(seconds).join(', ')})`,
  )
  console.log(
    `fluxadmin backup pitr verify --jobs 2 (7 steps):         ${seconds(d)} s  (runs: ${drill.map(seconds).join(', ')})`,
  )
  console.log(
    `bare with pg_ctl stop -m immediate + rm -r: ${seconds(median(bareWithCleanup))} s; drill without its cleanup step: ${seconds(median(drillWithoutCleanup))} s`,
  )
  console.log(`  last drill: ${steps.map((s) => `${s.name} ${seconds(s.duration_ms)}s`).join(', ')}`)
  console.log(
    `ratio: ${(d / b).toFixed(2)}x (goal <= 1.3x; median of ${runs} run${runs === 1 ? '' : 's'}); both cleaning up: ${(d / median(bareWithCleanup)).toFixed(2)}x; neither: ${(median(drillWithoutCleanup) / b).toFixed(2)}x`,
  )
} finally {
  rmSync(rpDir, {recursive: true, force: true})
  await cluster.close()
}
