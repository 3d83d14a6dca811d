import {existsSync, mkdirSync, readdirSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {join} from 'node:path'
import test from 'ava'
import pg from 'pg'
import {runCli} from './helpers/cli.js'

// The real sandbox, as `npm run demo` builds it (as root in CI: the server runs as "postgres").
test('sandbox start builds, migrates and seeds a cluster that other commands find by themselves', async (t) => {
  const dir = join(process.env.FLUXADMIN_TEST_DIR!, 'sandbox-e2e')
  mkdirSync(process.env.FLUXADMIN_TEST_DIR!, {recursive: true})
  const env = {FLUXADMIN_SANDBOX_DIR: dir}
  t.teardown(() => runCli(['sandbox', 'stop'], {env}).then(() => undefined))

  // Two at once: one builds it, the other waits on the lock file and then finds it running.
  const starts = await Promise.all([0, 1].map(() => runCli(['sandbox', 'start'], {env, timeoutMs: 180_000})))
  for (const s of starts) t.is(s.code, 0, s.stderr)
  const built = starts.filter((s) => /created and running/.test(s.stderr))
  t.is(built.length, 1, starts.map((s) => s.stderr).join('\n---\n'))
  const [start] = built
  const other = starts.find((s) => s !== start)!
  t.regex(
    other.stderr,
    /another sandbox start \(pid \d+\) is building or starting it: waiting for it\n[\s\S]*fluxadmin: sandbox running on 127\.0\.0\.1:\d+/,
  )
  if (process.getuid?.() === 0) t.regex(start.stderr, /runs as the unprivileged user "postgres"/)
  t.regex(start.stderr, /created and running on 127\.0\.0\.1:\d+/)

  const status = await runCli(['sandbox', 'status', '--json'], {env})
  t.is(status.code, 0)
  const [info] = JSON.parse(status.stdout)
  t.true(info.running)

  const dbStatus = await runCli(['db', 'status', '--format', 'json'], {env})
  t.is(dbStatus.code, 0, dbStatus.stderr)
  t.regex(dbStatus.stderr, /using the sandbox at 127\.0\.0\.1:\d+\/fluxstudio/)

  const url = (await runCli(['sandbox', 'url'], {env})).stdout.trim()
  const client = new pg.Client({connectionString: url})
  await client.connect()
  try {
    const count = async (sql: string) => Number((await client.query(sql)).rows[0].n)
    t.true((await count('SELECT count(*) AS n FROM organizations')) >= 20)
    t.is(await count('SELECT count(DISTINCT type) AS n FROM organizations'), 6)
    t.is(await count('SELECT count(*) AS n FROM users'), 2000)
    t.is(await count('SELECT count(*) AS n FROM messages'), 50000)
    t.is(await count('SELECT count(DISTINCT status) AS n FROM projects'), 5)
    t.true((await count('SELECT count(*) AS n FROM files WHERE version > 1')) > 0)
    t.is(
      await count(
        'SELECT count(*) AS n FROM (SELECT parent_file_id FROM files WHERE parent_file_id IS NOT NULL GROUP BY 1 HAVING count(*) > 1) x',
      ),
      0,
    )
    t.true(
      (await count('SELECT count(*) AS n FROM refresh_tokens WHERE revoked_at IS NULL AND expires_at > now()')) > 0,
    )
    t.true((await count('SELECT count(*) AS n FROM security_events')) > 0)
    t.true(
      (await count(
        "SELECT count(*) AS n FROM pg_settings WHERE name = 'shared_preload_libraries' AND setting LIKE '%pg_stat_statements%'",
      )) === 1,
    )
    const {
      rows: [listen],
    } = await client.query("SELECT current_setting('listen_addresses') AS v")
    t.is(listen.v, '127.0.0.1')
  } finally {
    await client.end()
  }

  const stop = await runCli(['sandbox', 'stop'], {env})
  t.is(stop.code, 0)
  const after = await runCli(['sandbox', 'status', '--json'], {env})
  t.is(after.code, 1)
  t.false(JSON.parse(after.stdout)[0].running)

  // Its port taken while it was stopped (another sandbox, another server): it starts on a free one.
  const squatter = createServer()
  await new Promise<void>((resolve) => squatter.listen(info.port, '127.0.0.1', resolve))
  t.teardown(() => {
    squatter.close()
  })
  const moved = await runCli(['sandbox', 'start'], {env, timeoutMs: 120_000})
  t.is(moved.code, 0, moved.stderr)
  t.regex(moved.stderr, new RegExp(`port ${info.port} is taken by another program: the sandbox moves to \\d+`))
  const [now] = JSON.parse((await runCli(['sandbox', 'status', '--json'], {env})).stdout)
  t.true(now.running)
  t.not(now.port, info.port)
  const found = await runCli(['db', 'status', '--format', 'json'], {env})
  t.is(found.code, 0, found.stderr)
  t.regex(found.stderr, new RegExp(`using the sandbox at 127\\.0\\.0\\.1:${now.port}/fluxstudio`))
})

test('sandbox start and reset leave alone a data directory the sandbox did not make (FLUXADMIN_SANDBOX_DIR=/var/lib/pgsql/15 holds a real cluster in data/): exit 5', async (t) => {
  const dir = join(process.env.FLUXADMIN_TEST_DIR!, 'not-a-sandbox')
  mkdirSync(join(dir, 'data'), {recursive: true})
  writeFileSync(join(dir, 'data', 'PG_VERSION'), '15\n')
  const env = {FLUXADMIN_SANDBOX_DIR: dir}
  // Should a start build there after all, its server must not outlive the test.
  t.teardown(() => runCli(['sandbox', 'stop'], {env}).then(() => undefined))
  for (const command of ['start', 'reset']) {
    const r = await runCli(['sandbox', command], {env, timeoutMs: 180_000})
    t.is(r.code, 5, `${command}: ${r.stderr}`)
    t.regex(
      r.stderr,
      new RegExp(
        `Error: ${dir}/data is not the sandbox's \\(no ${dir}/sandbox\\.json beside it\\): it is left as it is\\nHint: `,
      ),
    )
    t.deepEqual(readdirSync(join(dir, 'data')), ['PG_VERSION'], command)
  }
  t.false(existsSync(join(dir, 'sandbox.json')))
})
