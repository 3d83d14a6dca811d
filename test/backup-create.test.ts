import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import test from 'ava'
import {runCli} from './helpers/cli.js'
import {canTrace, durableReplace, traceCli} from './helpers/durability.js'
import {freshDb} from './helpers/db.js'
import {createdWithCli, tempDir} from './backup-fixtures.js'

test('backup create writes the dump and a manifest with counts, per-organization counts, migrations and the schema contract', async (t) => {
  const {db, dir, result, row} = await createdWithCli(t)
  t.regex(row.file, new RegExp(`${db.name}_\\d{8}T\\d{6}Z\\.dump$`))
  t.is(row.format, 'custom')
  t.is(row.rows, 3 + 2 + 4 + 2)
  const dump = readFileSync(row.file)
  t.is(dump.subarray(0, 5).toString(), 'PGDMP')
  const manifest = JSON.parse(readFileSync(`${row.file}.manifest.json`, 'utf8'))
  t.is(manifest.sha256, createHash('sha256').update(dump).digest('hex'))
  t.is(manifest.size_bytes, dump.length)
  t.is(manifest.database, db.name)
  t.regex(manifest.server_version, /^15\./)
  t.regex(manifest.pg_dump_version, /^\d+\.\d+$/)
  t.is(manifest.tables.users, 3)
  t.is(manifest.tables.organizations, 2)
  t.is(manifest.tables.messages, 0)
  const {rows: orgs} = await db.pg.query('SELECT id::text, slug FROM organizations')
  const id = (slug: string) => orgs.find((o) => o.slug === slug)!.id
  t.deepEqual(manifest.organizations.organization_members, {[id('acme')]: 3, [id('beta')]: 1})
  t.deepEqual(manifest.organizations.teams, {[id('acme')]: 2})
  t.true(manifest.migrations.some((m: {version: string}) => m.version === '001'))
  t.true(
    manifest.schema_objects.some(
      (o: {kind: string; name: string}) => o.kind === 'index' && o.name === 'idx_messages_content_search',
    ),
  )
  // No temporary files left, and the password is nowhere in what was printed or written.
  t.deepEqual(
    readdirSync(dir).filter((f) => f.startsWith('.')),
    [],
  )
  const password = new URL(db.url).password
  t.false(result.stdout.includes(password) || result.stderr.includes(password))
  t.false(readFileSync(`${row.file}.manifest.json`, 'utf8').includes(password))
})

test('backup create --jobs 2 writes a directory-format dump', async (t) => {
  const {row} = await createdWithCli(t, ['--jobs', '2'])
  t.is(row.format, 'directory')
  t.true(existsSync(join(row.file, 'toc.dat')))
  t.is(JSON.parse(readFileSync(`${row.file}.manifest.json`, 'utf8')).tables.teams, 2)
})

test('a pg_dump older than the server is refused with exit 3 and a hint; a missing pg_restore makes verify exit 3', async (t) => {
  const db = await freshDb(t)
  const dir = tempDir(t)
  const bin = join(dir, 'bin')
  mkdirSync(bin)
  writeFileSync(join(bin, 'pg_dump'), '#!/bin/sh\necho "pg_dump (PostgreSQL) 13.4"\n')
  chmodSync(join(bin, 'pg_dump'), 0o755)
  const old = await runCli(['backup', 'create', '--db-url', db.url, '--dir', join(dir, 'out')], {
    env: {FLUXADMIN_PG_CLIENT_BIN: bin},
  })
  t.is(old.code, 3)
  t.regex(
    old.stderr,
    /^Error: pg_dump 13\.4 is older than the PostgreSQL 15\.\d+ server it would dump\nHint: install the PostgreSQL 15 client tools/,
  )
  writeFileSync(join(dir, 'x.dump'), 'x')
  const missing = await runCli(['backup', 'verify', join(dir, 'x.dump'), '--db-url', db.url], {
    env: {FLUXADMIN_PG_CLIENT_BIN: bin},
  })
  t.is(missing.code, 3)
  t.regex(missing.stderr, /^Error: pg_restore is not available in .*\nHint: /)
  const nofile = await runCli(['backup', 'verify', join(dir, 'nope.dump'), '--db-url', db.url])
  t.is(nofile.code, 3)
  t.regex(nofile.stderr, /^Error: no backup at /)
})

/** The names a backup of `database` started in the next `seconds` seconds can take. */
function namesAhead(database: string, seconds: number): string[] {
  const now = Date.now()
  return Array.from(
    {length: seconds},
    (_, i) =>
      `${database}_${new Date(now + i * 1000)
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z')}.dump`,
  )
}

test("two backups under one name (started in the same second) never share a partial dump: the second is exit 5; a killed run's lock is taken over", async (t) => {
  const db = await freshDb(t)
  const dir = tempDir(t)
  // A live process (this one) holds the name of every backup that can start in the next 20 s.
  const held = namesAhead(db.name, 20).map((name) => join(dir, `.${name}.lock`))
  for (const lock of held) writeFileSync(lock, `${process.pid}\n`)
  const busy = await runCli(['backup', 'create', '--db-url', db.url, '--dir', dir], {timeoutMs: 60_000})
  t.is(busy.code, 5, busy.stderr)
  t.regex(
    busy.stderr,
    new RegExp(
      `^Error: another backup is writing ${dir}/${db.name}_\\d{8}T\\d{6}Z\\.dump \\(pid ${process.pid}\\)\\nHint: wait a second and retry`,
    ),
  )
  t.deepEqual(
    readdirSync(dir).filter((f) => !f.endsWith('.lock')),
    [],
  )
  // Locks of a process that is gone are stale: the backup takes its name over and leaves no lock.
  const gone = spawnSync('true').pid
  for (const lock of held) writeFileSync(lock, `${gone}\n`)
  const taken = await runCli(['backup', 'create', '--db-url', db.url, '--dir', dir, '--format', 'json'], {
    timeoutMs: 150_000,
  })
  t.is(taken.code, 0, taken.stderr)
  const file = JSON.parse(taken.stdout)[0].file as string
  t.false(existsSync(join(dir, `.${file.split('/').at(-1)}.lock`)))
})

test('partial dumps of killed runs (SIGKILL: no handler ran) go with the next backup into that directory; one whose name a live process holds stays', async (t) => {
  const db = await freshDb(t)
  const dir = tempDir(t)
  const gone = spawnSync('true').pid
  writeFileSync(join(dir, '.app_20260101T000000Z.dump.partial'), 'x'.repeat(4096))
  writeFileSync(join(dir, '.app_20260101T000000Z.dump.lock'), `${gone}\n`)
  mkdirSync(join(dir, '.app_20260102T000000Z.dir.partial'))
  writeFileSync(join(dir, '.app_20260102T000000Z.dir.partial', 'toc.dat'), 'x')
  writeFileSync(join(dir, '.app_20260103T000000Z.dump.partial'), 'being written')
  writeFileSync(join(dir, '.app_20260103T000000Z.dump.lock'), `${process.pid}\n`)
  const r = await runCli(['backup', 'create', '--db-url', db.url, '--dir', dir, '--format', 'json'], {
    timeoutMs: 150_000,
  })
  t.is(r.code, 0, r.stderr)
  t.deepEqual(
    readdirSync(dir)
      .filter((f) => f.startsWith('.'))
      .sort(),
    ['.app_20260103T000000Z.dump.lock', '.app_20260103T000000Z.dump.partial'],
  )
})

test('a dump is private from its first byte, as its manifest: 0600, a directory dump 0700 with 0600 files', async (t) => {
  const custom = (await createdWithCli(t)).row.file as string
  const directory = (await createdWithCli(t, ['--jobs', '2'])).row.file as string
  const mode = (path: string) => statSync(path).mode & 0o777
  t.is(mode(custom), 0o600)
  t.is(mode(`${custom}.manifest.json`), 0o600)
  t.is(mode(directory), 0o700)
  for (const file of readdirSync(directory)) t.is(mode(join(directory, file)), 0o600, file)
})

;(canTrace ? test : test.skip)(
  'a dump and its manifest reach the disk before their names: synced, renamed, the directory synced',
  async (t) => {
    const db = await freshDb(t)
    const dir = tempDir(t)
    const created = await traceCli(['backup', 'create', '--dir', dir, '--db-url', db.url], dir)
    t.is(created.code, 0, created.stderr)
    const dump = readdirSync(dir).find((f) => f.endsWith('.dump'))!
    t.is(durableReplace(created.calls, join(dir, dump)), 'durable')
    t.is(durableReplace(created.calls, join(dir, `${dump}.manifest.json`)), 'durable')
  },
)
