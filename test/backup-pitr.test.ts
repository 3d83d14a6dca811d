import {spawn} from 'node:child_process'
import {chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import anyTest, {type TestFn} from 'ava'
import {runCli} from './helpers/cli.js'
import {filesUnder, pitrCluster, STANZA, type PitrCluster} from './pitr-fixture.js'

const test = anyTest as TestFn<{cluster: PitrCluster; dir: string; rp: any; totalAtRp: number}>
const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))

async function totalRows(cluster: PitrCluster): Promise<number> {
  const {rows} = await cluster.pg
    .query(`SELECT sum((xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM public.%I', relname), false, true, '')))[1]::text::bigint)::int AS n
    FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p')`)
  return rows[0].n
}

const drill = (cluster: PitrCluster, args: string[], config = cluster.config, env: NodeJS.ProcessEnv = {}) =>
  runCli(
    [
      'backup',
      'pitr',
      'verify',
      '--db-url',
      cluster.url,
      '--stanza',
      STANZA,
      '--pgbackrest-config',
      config,
      '--format',
      'json',
      ...args,
    ],
    {timeoutMs: 120_000, env},
  )

/** A TMPDIR for one drill (the server user must be able to enter it, as /tmp). */
function scratchParent(t: {teardown(fn: () => void): void}): string {
  const parent = mkdtempSync(join(tmpdir(), 'fluxadmin-pitr-tmp-'))
  chmodSync(parent, 0o755)
  t.teardown(() => rmSync(parent, {recursive: true, force: true}))
  return parent
}

/** Directories a drill left in a temporary directory, and processes still running on them. */
function leftovers(parent: string): {dirs: string[]; processes: string[]} {
  const dirs = readdirSync(parent).filter((d) => d.startsWith('fluxadmin-pitr-'))
  const processes = readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .flatMap((pid) => {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')
        return cmd.includes(join(parent, 'fluxadmin-pitr-')) ? [`${pid}: ${cmd}`] : []
      } catch {
        return []
      }
    })
  return {dirs, processes}
}

test.before(async (t) => {
  const cluster = await pitrCluster()
  // pgBackRest records a backup's stop time in whole seconds: a target time in the same second as the
  // backup's end has no backup "stopped before" it. Let that second pass.
  await new Promise((r) => setTimeout(r, 1100))
  const dir = mkdtempSync(join(tmpdir(), 'fluxadmin-rp-test-'))
  await cluster.pg.query(`
    WITH u AS (INSERT INTO users (email, name, user_type) VALUES ('a@x.co', 'A', 'client'), ('b@x.co', 'B', 'designer'), ('c@x.co', 'C', 'admin') RETURNING id, email),
    o AS (INSERT INTO organizations (name, slug, type) VALUES ('Acme', 'acme', 'university'), ('Beta', 'beta', 'independent') RETURNING id, slug)
    INSERT INTO organization_members (organization_id, user_id) SELECT o.id, u.id FROM o, u WHERE o.slug = 'acme' OR u.email = 'a@x.co'`)
  const created = await runCli([
    'backup',
    'restore-point',
    'before-cleanup',
    '--dir',
    dir,
    '--db-url',
    cluster.url,
    '--format',
    'json',
  ])
  if (created.code !== 0) throw new Error(created.stderr)
  const rp = JSON.parse(created.stdout)[0]
  // The audit row of restore-point is written after the restore point: the moment's total is the one without it.
  const totalAtRp = (await totalRows(cluster)) - 1
  await cluster.pg.query(
    `INSERT INTO users (email, name, user_type) SELECT 'later' || g || '@x.co', 'L', 'client' FROM generate_series(1, 40) g`,
  )
  await cluster.pg.query("UPDATE organizations SET name = 'Acme Inc' WHERE slug = 'acme'")
  await cluster.pg.query(
    "DELETE FROM organization_members WHERE organization_id = (SELECT id FROM organizations WHERE slug = 'beta')",
  )
  await cluster.switchWal()
  t.context = {cluster, dir, rp, totalAtRp}
})

test.after.always(async (t) => {
  await t.context.cluster?.close()
  if (t.context.dir) rmSync(t.context.dir, {recursive: true, force: true})
})

test.serial(
  'backup restore-point writes a manifest of that moment and audits only its name and directory',
  async (t) => {
    const {cluster, dir, rp, totalAtRp} = t.context
    t.regex(rp.lsn, /^[0-9A-F]+\/[0-9A-F]+$/)
    const manifest = JSON.parse(readFileSync(join(dir, 'before-cleanup.restore-point.json'), 'utf8'))
    t.is(manifest.lsn, rp.lsn)
    t.is(manifest.database, 'fluxstudio')
    t.is(manifest.tables.users, 3)
    t.is(
      Object.values(manifest.tables as Record<string, number>).reduce((a, b) => a + b, 0),
      totalAtRp,
    )
    t.true(manifest.schema_objects.length > 50)
    const {rows} = await cluster.pg.query(
      "SELECT metadata FROM security_events WHERE event_type = 'admin.backup.restore_point_created'",
    )
    t.is(rows.length, 1)
    t.deepEqual(Object.keys(rows[0].metadata).sort(), ['actor', 'dir', 'name'])
    t.deepEqual([rows[0].metadata.name, rows[0].metadata.dir], ['before-cleanup', dir])
    const again = await runCli(['backup', 'restore-point', 'before-cleanup', '--dir', dir, '--db-url', cluster.url])
    t.is(again.code, 5, again.stderr)
  },
)

test.serial(
  "the drill to the restore point proves that moment's counts and writes nothing into the archive",
  async (t) => {
    const {cluster, dir, rp} = t.context
    const archive = filesUnder(join(cluster.repo, 'archive'))
    const result = await drill(cluster, ['--restore-point', 'before-cleanup', '--dir', dir])
    t.is(result.code, 0, result.stderr + result.stdout)
    const steps = JSON.parse(result.stdout)
    t.deepEqual(
      steps.map((s: any) => `${s.name}:${s.status}`),
      ['restore:pass', 'start:pass', 'recovery:pass', 'schema:pass', 'row_counts:pass', 'amcheck:pass', 'cleanup:pass'],
    )
    t.regex(
      steps[2].detail,
      new RegExp(
        `^recovery ended at ${rp.lsn} on timeline 1 \\(at restore point "before-cleanup"\\), the manifest's LSN`,
      ),
    )
    t.regex(steps[4].detail, /users?|tables, \d+ rows and 2 organizations' counts match/)
    t.regex(steps[6].detail, /stopped the scratch server, removed \/tmp\/fluxadmin-pitr-\w+/)
    t.deepEqual(filesUnder(join(cluster.repo, 'archive')), archive)
    const {rows} = await cluster.pg.query(
      "SELECT severity, metadata FROM security_events WHERE event_type = 'admin.backup.pitr_verified'",
    )
    t.is(rows.length, 1)
    t.is(rows[0].severity, 'info')
    t.deepEqual(rows[0].metadata.target, {type: 'name', name: 'before-cleanup'})
    t.false(JSON.stringify(rows[0].metadata).includes('pitr-test-pw'))
  },
)

test.serial('the drill to --latest sees the rows written after the restore point', async (t) => {
  const {cluster, totalAtRp} = t.context
  await cluster.switchWal()
  const expected = await totalRows(cluster)
  t.true(expected >= totalAtRp + 40 - 3)
  const archive = filesUnder(join(cluster.repo, 'archive'))
  const result = await drill(cluster, ['--latest'])
  t.is(result.code, 0, result.stderr + result.stdout)
  const steps = JSON.parse(result.stdout)
  t.regex(steps[2].detail, /\(no recovery target specified\), the end of the archive/)
  t.regex(
    steps[4].detail,
    new RegExp(`^\\d+ tables, ${expected} rows and \\d+ organizations' counts \\(no restore point manifest`),
  )
  t.deepEqual(filesUnder(join(cluster.repo, 'archive')), archive)
})

test.serial("the drill to --target-time at the restore point's moment sees that moment's rows", async (t) => {
  const {cluster, rp, totalAtRp} = t.context
  const result = await drill(cluster, ['--target-time', new Date(rp.created_at).toISOString()])
  t.is(result.code, 0, result.stderr + result.stdout)
  const steps = JSON.parse(result.stdout)
  t.regex(steps[2].detail, /\(before \d{4}-[^)]+\): the first commit after .* was not replayed/)
  t.regex(steps[4].detail, new RegExp(`^\\d+ tables, ${totalAtRp} rows and`))
})

test.serial('backup list --stanza shows the pgBackRest backup beside the dumps', async (t) => {
  const {cluster, dir} = t.context
  const result = await runCli([
    'backup',
    'list',
    '--dir',
    dir,
    '--stanza',
    STANZA,
    '--pgbackrest-config',
    cluster.config,
    '--format',
    'json',
  ])
  t.is(result.code, 0, result.stderr)
  const rows = JSON.parse(result.stdout)
  t.is(rows.length, 1)
  t.regex(rows[0].file, /^\d{8}-\d{6}F$/)
  t.is(rows[0].format, 'pgbackrest full')
  t.is(rows[0].database, `stanza ${STANZA}`)
})

test.serial(
  'a restore point without a manifest, or an unknown stanza, cannot run (exit 3) and leaves nothing',
  async (t) => {
    const {cluster, dir} = t.context
    const parent = scratchParent(t)
    const unknown = await drill(cluster, ['--restore-point', 'no-such-point', '--dir', dir], cluster.config, {
      TMPDIR: parent,
    })
    t.is(unknown.code, 3, unknown.stderr)
    t.regex(unknown.stdout + unknown.stderr, /no restore point no-such-point/)
    const stanza = await runCli(
      [
        'backup',
        'pitr',
        'verify',
        '--db-url',
        cluster.url,
        '--stanza',
        'nope',
        '--pgbackrest-config',
        cluster.config,
        '--latest',
      ],
      {env: {TMPDIR: parent}},
    )
    t.is(stanza.code, 3, stanza.stderr)
    t.regex(stanza.stderr, /^Error: no stanza "nope"|^Error: pgbackrest info failed/)
    t.deepEqual(readdirSync(parent), [])
  },
)

test.serial('a repository with a WAL segment removed fails the recovery step (exit 2) and cleans up', async (t) => {
  const {cluster, dir, rp} = t.context
  const broken = cluster.withRepository('repo-gap')
  const {
    rows: [{segment}],
  } = await cluster.pg.query('SELECT pg_walfile_name($1::pg_lsn) AS segment', [rp.lsn])
  const segmentDir = join(broken.repo, 'archive', STANZA, '15-1', segment.slice(0, 16))
  const file = readdirSync(segmentDir).find((f) => f.startsWith(segment))!
  unlinkSync(join(segmentDir, file))
  const parent = scratchParent(t)
  const result = await drill(cluster, ['--restore-point', 'before-cleanup', '--dir', dir], broken.config, {
    TMPDIR: parent,
  })
  t.is(result.code, 2, result.stderr + result.stdout)
  t.regex(
    result.stderr,
    /backup pitr verify failed at step 3 \(recovery\): the server stopped during recovery: recovery ended before configured recovery target was reached/,
  )
  const steps = JSON.parse(result.stdout)
  t.is(steps[6].status, 'pass')
  t.deepEqual(leftovers(parent), {dirs: [], processes: []})
})

test.serial('Ctrl-C in the middle of the drill leaves no process and no directory (exit 130)', async (t) => {
  const {cluster, dir} = t.context
  const parent = scratchParent(t)
  const child = spawn(
    process.execPath,
    [
      BIN,
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
      'before-cleanup',
      '--dir',
      dir,
      '--format',
      'json',
    ],
    {env: {...process.env, TMPDIR: parent}, stdio: ['ignore', 'pipe', 'pipe']},
  )
  let stderr = ''
  child.stderr.on('data', (d) => {
    stderr += d
  })
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
  // Wait until pgbackrest has started writing the data directory.
  let seen = false
  for (let i = 0; i < 3000 && !seen; i++) {
    const [scratch] = readdirSync(parent)
    seen =
      Boolean(scratch) &&
      existsSync(join(parent, scratch, 'data')) &&
      readdirSync(join(parent, scratch, 'data')).length > 0
    if (!seen) await new Promise((r) => setTimeout(r, 10))
  }
  t.true(seen, 'caught the restore in flight')
  child.kill('SIGINT')
  t.is(await exited, 130, stderr)
  t.regex(stderr, /^Error: backup pitr verify interrupted; (stopped the scratch server, )?removed /)
  t.deepEqual(leftovers(parent), {dirs: [], processes: []})
})

test.serial(
  'a drill killed with SIGKILL leaves its server running: the next drill stops it and removes its directory',
  async (t) => {
    const {cluster} = t.context
    const parent = scratchParent(t)
    const child = spawn(
      process.execPath,
      [
        BIN,
        'backup',
        'pitr',
        'verify',
        '--db-url',
        cluster.url,
        '--stanza',
        STANZA,
        '--pgbackrest-config',
        cluster.config,
        '--latest',
        '--format',
        'json',
      ],
      {env: {...process.env, TMPDIR: parent}, stdio: 'ignore'},
    )
    const exited = new Promise((resolve) => child.on('close', resolve))
    // Wait until the restored server runs (its postmaster.pid names it).
    let orphan: {dir: string; pid: number} | undefined
    for (let i = 0; i < 3000 && !orphan; i++) {
      for (const scratch of readdirSync(parent)) {
        try {
          const pid = Number(readFileSync(join(parent, scratch, 'data', 'postmaster.pid'), 'utf8').split('\n')[0])
          if (pid > 0) orphan = {dir: join(parent, scratch), pid}
        } catch {}
      }
      if (!orphan) await new Promise((r) => setTimeout(r, 10))
    }
    child.kill('SIGKILL')
    await exited
    t.truthy(orphan, 'caught the server running')
    t.teardown(() => {
      try {
        process.kill(orphan!.pid, 'SIGQUIT')
      } catch {}
    })
    t.true(leftovers(parent).processes.length > 0, 'the killed drill left its server running')
    const next = await drill(cluster, ['--latest'], cluster.config, {TMPDIR: parent})
    t.is(next.code, 0, next.stderr)
    t.regex(
      next.stderr,
      new RegExp(
        `fluxadmin: removed ${orphan!.dir}, and stopped its server \\(pid ${orphan!.pid}\\), left by a run that was killed`,
      ),
    )
    t.deepEqual(leftovers(parent), {dirs: [], processes: []})
  },
)

test.serial('bad targets are usage errors (exit 2); no pgbackrest is exit 3; nothing is written', async (t) => {
  const {cluster, dir} = t.context
  const parent = scratchParent(t)
  const env = {TMPDIR: parent}
  const none = await drill(cluster, [], cluster.config, env)
  t.is(none.code, 2, none.stderr)
  t.regex(none.stderr, /restore-point|target-time|latest/)
  const two = await drill(cluster, ['--latest', '--restore-point', 'before-cleanup'], cluster.config, env)
  t.is(two.code, 2, two.stderr)
  const dirWithLatest = await drill(cluster, ['--latest', '--dir', dir], cluster.config, env)
  t.is(dirWithLatest.code, 2, dirWithLatest.stderr)
  t.regex(dirWithLatest.stderr, /--dir goes with --restore-point/)
  const missing = await drill(cluster, ['--latest'], cluster.config, {
    ...env,
    FLUXADMIN_PGBACKREST: join(parent, 'no-pgbackrest'),
  })
  t.is(missing.code, 3, missing.stderr)
  t.regex(missing.stderr, /pgbackrest is not installed/)
  const badName = await runCli([
    'backup',
    'restore-point',
    '../evil',
    '--dir',
    join(parent, 'rp'),
    '--db-url',
    cluster.url,
  ])
  t.is(badName.code, 2, badName.stderr)
  t.regex(badName.stderr, /^Error: invalid restore point name "\.\.\/evil"\nHint: /)
  t.deepEqual(readdirSync(parent), [])
})

test.serial(
  "counts that differ fail, unless commits the manifest's snapshot could not see reached the restore point",
  async (t) => {
    const {cluster, dir} = t.context
    const manifest = JSON.parse(readFileSync(join(dir, 'before-cleanup.restore-point.json'), 'utf8'))
    const [, xmax] = /^(\d+):(\d+):/.exec(manifest.snapshot)!.map(Number)
    const edited = (snapshot: string) => {
      const other = scratchParent(t)
      writeFileSync(
        join(other, 'before-cleanup.restore-point.json'),
        JSON.stringify({...manifest, snapshot, tables: {...manifest.tables, users: manifest.tables.users + 1}}),
      )
      return other
    }
    const differs = await drill(cluster, ['--restore-point', 'before-cleanup', '--dir', edited(manifest.snapshot)])
    t.is(differs.code, 2, differs.stderr + differs.stdout)
    t.regex(
      differs.stderr,
      /failed at step 5 \(row_counts\): row counts differ from the manifest: users: 3 rows, manifest 4/,
    )
    // As if the fixture's insert (the last transaction before the restore point) had still been running when the snapshot was taken.
    const raced = await drill(cluster, [
      '--restore-point',
      'before-cleanup',
      '--dir',
      edited(`${xmax - 1}:${xmax - 1}:`),
    ])
    t.is(raced.code, 0, raced.stderr + raced.stdout)
    const step = JSON.parse(raced.stdout)[4]
    t.is(step.status, 'skipped')
    t.regex(
      step.detail,
      /users: 3 rows, manifest 4; not comparable: 1 transaction\(s\) committed between the manifest's snapshot and the restore point/,
    )
  },
)

test.serial(
  "health check --stanza: the newest backup's age and `pgbackrest check`; a broken repository or a missing stanza is CRITICAL",
  async (t) => {
    const {cluster} = t.context
    const health = (args: string[], config = cluster.config) =>
      runCli(
        [
          'health',
          'check',
          '--only',
          'pgbackrest',
          '--db-url',
          cluster.url,
          '--stanza',
          STANZA,
          '--pgbackrest-config',
          config,
          '--format',
          'json',
          ...args,
        ],
        {timeoutMs: 120_000},
      )
    const state = (stdout: string) =>
      Object.fromEntries(
        (JSON.parse(stdout) as Array<{check: string; state: string; value: number | null; detail: string}>).map((c) => [
          c.check,
          c,
        ]),
      )
    const ok = await health([])
    t.is(ok.code, 0, ok.stdout + ok.stderr)
    const fine = state(ok.stdout)
    t.like(fine.pgbackrest_check, {state: 'OK', value: 0})
    t.like(fine.pgbackrest_backup_age, {state: 'OK'})
    t.true(fine.pgbackrest_backup_age.value! >= 0 && fine.pgbackrest_backup_age.value! < 3600)
    t.regex(fine.pgbackrest_backup_age.detail, /newest backup \S+F \(full\)/)
    const old = await health(['--warn', 'pgbackrest_backup_age=0s'])
    t.is(old.code, state(old.stdout).pgbackrest_backup_age.value! > 0 ? 1 : 0, 'past its threshold: WARNING')

    // A repository whose archive is gone: `pgbackrest check` cannot find its WAL there.
    const broken = cluster.withRepository('health-broken')
    rmSync(join(broken.repo, 'archive'), {recursive: true, force: true})
    const failed = await health([], broken.config)
    t.is(failed.code, 2, failed.stdout)
    t.like(state(failed.stdout).pgbackrest_check, {state: 'CRITICAL'})
    const missing = await runCli(
      [
        'health',
        'check',
        '--only',
        'pgbackrest',
        '--db-url',
        cluster.url,
        '--stanza',
        'nosuch',
        '--pgbackrest-config',
        cluster.config,
        '--format',
        'json',
      ],
      {timeoutMs: 120_000},
    )
    t.is(missing.code, 2, missing.stdout)
    t.regex(state(missing.stdout).pgbackrest_backup_age.detail, /cannot read pgBackRest stanza nosuch/)
    t.false(
      /pgbackrest_/.test((await runCli(['health', 'check', '--db-url', cluster.url, '--format', 'json'])).stdout),
      'opt-in: only with --stanza',
    )
  },
)
