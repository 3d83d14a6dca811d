import {execFileSync} from 'node:child_process'
import {createHash, randomUUID} from 'node:crypto'
import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import {join} from 'node:path'
import test from 'ava'
import {freshDb, type TestDb} from './helpers/db.js'
import {runCli} from './helpers/cli.js'
import {TRICKY, lifecycleFixture, orgSums, tempDir} from './lifecycle-fixtures.js'
import {checksum, cliFor, fileDb, json} from './tenants-fixtures.js'

const into = (db: TestDb, args: string[]) =>
  runCli([...args, '--db-url', db.url], {env: {FLUXADMIN_ACTOR: 'ops-test'}, timeoutMs: 170_000})
const dir = tempDir()
const archive = join(dir, 'north.tar')
let ids: Awaited<ReturnType<typeof lifecycleFixture>>
const source = fileDb(test, async (db) => {
  ids = await lifecycleFixture(db.pg)
  // bob owns south-uni: an organization is imported only with an owner.
  await db.pg.query("UPDATE organization_members SET role = 'owner' WHERE organization_id = $1", [ids.org['south-uni']])
  const r = await into(db, ['orgs', 'export', 'north-high', '--out', archive, '--format', 'json'])
  if (r.code !== 0) throw new Error(r.stderr)
})
const cli = cliFor(source)

test('export writes a tar of one COPY part per table and a manifest; stdout lists rows and sha256 per table', async (t) => {
  const names = execFileSync('tar', ['-tf', archive], {encoding: 'utf8'}).trim().split('\n')
  t.deepEqual(names.slice(-2), ['manifest.json', 'manifest.sha256'])
  t.true(names.includes('messages.copy') && names.includes('users.copy'))
  const manifest = JSON.parse(execFileSync('tar', ['-xOf', archive, 'manifest.json'], {encoding: 'utf8'}))
  t.is(manifest.organization.slug, 'north-high')
  t.is(manifest.parts.find((p: {table: string}) => p.table === 'messages').rows, TRICKY.length + 1)
  t.true(manifest.migrations.length > 5)
  t.false(manifest.with_secrets)
  // ada and bob (members, authors), not cy.
  t.is(manifest.parts.find((p: {table: string}) => p.table === 'users').rows, 2)
  t.false(
    readdirSync(dir).some((f) => f.endsWith('.tmp')),
    'no temporary file left',
  )
})

test('export --dry-run counts every table and writes nothing; without --out it is a usage error', async (t) => {
  const r = await cli(['orgs', 'export', 'south-uni', '--dry-run', '--format', 'json'])
  t.is(r.code, 0, r.stderr)
  t.is(json(r.stdout).find((p: {table: string}) => p.table === 'messages').rows, 2)
  const bad = await cli(['orgs', 'export', 'south-uni'])
  t.is(bad.code, 2)
  t.regex(bad.stderr, /needs --out/)
})

test('import into a fresh database: every table of the organization identical, tricky text intact, the shared user matched later', async (t) => {
  const target = await freshDb(t)
  const r = await into(target, ['orgs', 'import', archive, '--yes', '--format', 'json'])
  t.is(r.code, 0, r.stderr)
  t.deepEqual(await orgSums(target.pg, ids.org['north-high']), await orgSums(source().pg, ids.org['north-high']))
  const {rows} = await target.pg.query(
    'SELECT content FROM messages WHERE reply_to_id IS NULL ORDER BY created_at DESC',
  )
  t.deepEqual(
    rows.map((m) => m.content),
    TRICKY,
  )
  const {
    rows: [ada],
  } = await target.pg.query('SELECT password_hash, phone FROM users WHERE id = $1', [ids.id.ada])
  t.is(ada.password_hash, null, 'no password hash without --with-secrets')
  t.is(ada.phone, '+1 555 0100')
  t.is((await target.pg.query("SELECT 1 FROM security_events WHERE event_type = 'admin.org.imported'")).rowCount, 1)

  // south-uni shares bob: its import matches him and lists the match.
  const south = join(dir, 'south.tar')
  t.is((await cli(['orgs', 'export', 'south-uni', '--out', south])).code, 0)
  const s = await into(target, ['orgs', 'import', south, '--yes', '--format', 'json'])
  t.is(s.code, 0, s.stderr)
  t.deepEqual(
    json(s.stdout)
      .filter((c: {action: string; kind: string}) => c.action === 'match' && c.kind === 'user')
      .map((c: {name: string}) => c.name),
    ['bob@example.org'],
  )
  t.deepEqual(await orgSums(target.pg, ids.org['south-uni']), await orgSums(source().pg, ids.org['south-uni']))
  t.deepEqual(
    await orgSums(target.pg, ids.org['north-high']),
    await orgSums(source().pg, ids.org['north-high']),
    'north-high unaffected',
  )

  const again = await into(target, ['orgs', 'import', archive, '--yes'])
  t.is(again.code, 5, again.stderr)
  t.regex(again.stderr, /north-high .* already exists/)
})

test('--with-secrets carries password hashes', async (t) => {
  const file = join(dir, 'secrets.tar')
  t.is((await cli(['orgs', 'export', 'north-high', '--with-secrets', '--out', file])).code, 0)
  const target = await freshDb(t)
  t.is((await into(target, ['orgs', 'import', file, '--yes'])).code, 0)
  const {
    rows: [ada],
  } = await target.pg.query('SELECT password_hash FROM users WHERE id = $1', [ids.id.ada])
  t.is(ada.password_hash, '$2b$10$abcdefghijklmnopqrstuv')
})

test('a flipped byte, a truncated file, another schema version, a user whose id and email disagree: refused, nothing written', async (t) => {
  const target = await freshDb(t)
  const bytes = readFileSync(archive)
  const flipped = Buffer.from(bytes)
  const at = bytes.indexOf('non-ASCII')
  flipped[at] ^= 0x01
  writeFileSync(join(dir, 'flipped.tar'), flipped)
  writeFileSync(join(dir, 'truncated.tar'), bytes.subarray(0, Math.floor(bytes.length / 2)))
  const before = await checksum(target.pg)
  for (const [file, why] of [
    ['flipped.tar', /messages\.copy does not match its sha256/],
    ['truncated.tar', /truncated/],
  ] as const) {
    const r = await into(target, ['orgs', 'import', join(dir, file), '--yes'])
    t.is(r.code, 2, r.stderr)
    t.regex(r.stderr, why)
    t.regex(r.stderr, /Hint: .*export the organization again/)
  }
  await target.pg.query(
    "UPDATE fluxadmin.schema_migrations SET checksum = 'x' WHERE version = (SELECT max(version) FROM fluxadmin.schema_migrations)",
  )
  const schema = await into(target, ['orgs', 'import', archive, '--yes'])
  t.is(schema.code, 2, schema.stderr)
  t.regex(
    schema.stderr,
    /the archive is from schema \d+_\w+ \(\d+ migrations\), this database is at \d+_\w+ \(\d+ migrations\), with different contents/,
  )
  await target.pg.query(
    'DELETE FROM fluxadmin.schema_migrations WHERE version = (SELECT max(version) FROM fluxadmin.schema_migrations)',
  )
  const older = await into(target, ['orgs', 'import', archive, '--yes'])
  t.is(older.code, 2)
  t.notRegex(older.stderr, /different contents/)
  t.deepEqual(await checksum(target.pg), before)

  const other = await freshDb(t)
  await other.pg.query("INSERT INTO users (email, name, user_type) VALUES ('ADA@example.org', 'Another Ada', 'client')")
  const clash = await into(other, ['orgs', 'import', archive, '--yes'])
  t.is(clash.code, 5, clash.stderr)
  t.regex(clash.stderr, /ada@example\.org \(.*\) is ADA@example\.org/)
  t.is((await other.pg.query('SELECT 1 FROM organizations')).rowCount, 0)
})

test('import without --yes off a terminal is refused; --dry-run previews and writes nothing', async (t) => {
  const target = await freshDb(t)
  const no = await into(target, ['orgs', 'import', archive])
  t.is(no.code, 2)
  const dry = await into(target, ['orgs', 'import', archive, '--dry-run', '--format', 'json'])
  t.is(dry.code, 0, dry.stderr)
  t.is(json(dry.stdout).find((c: {kind: string}) => c.kind === 'messages').after, TRICKY.length + 1)
  t.is((await target.pg.query('SELECT 1 FROM organizations')).rowCount, 0)
  t.false(existsSync(join(dir, 'nothing.tar')))
})

test('in a session that defaults to read-only the export is still audited; an unknown organization or directory writes nothing', async (t) => {
  const replica = await freshDb(t)
  await replica.pg.query(`INSERT INTO organizations (name, slug, type) VALUES ('Read Only', 'read-only', 'studio')`)
  await replica.pg.query(`ALTER DATABASE ${replica.name} SET default_transaction_read_only = on`)
  const file = join(dir, 'read-only.tar')
  const r = await into(replica, ['orgs', 'export', 'read-only', '--out', file, '--with-secrets'])
  t.is(r.code, 0, r.stderr)
  t.notRegex(r.stderr, /not in the audit trail/)
  t.true(existsSync(file))
  t.like(
    (await replica.pg.query("SELECT severity, metadata FROM security_events WHERE event_type = 'admin.org.exported'"))
      .rows,
    [{severity: 'warning', metadata: {with_secrets: true}}],
  )
  const unknown = await into(replica, ['orgs', 'export', 'no-such-org', '--out', join(dir, 'unknown.tar')])
  t.is(unknown.code, 4)
  t.false(existsSync(join(dir, 'unknown.tar')))
  const nodir = await into(replica, ['orgs', 'export', 'read-only', '--out', join(dir, 'missing', 'x.tar')])
  t.is(nodir.code, 4)
  t.regex(nodir.stderr, /directory .* does not exist/)
  // The file's other tests export into this directory at the same time: only this test's names count.
  t.false(readdirSync(dir).some((f) => /^\.(read-only|unknown)\.tar\..*\.tmp$/.test(f)))
})

/** Rewrites an archive as an attacker would: `edit` changes its COPY lines; sizes, sums and row counts are made consistent again. */
function forged(name: string, edit: (lines: Record<string, string[]>) => void): string {
  const work = mkdtempSync(join(dir, 'forge-'))
  execFileSync('tar', ['-xf', archive, '-C', work])
  const manifest = JSON.parse(readFileSync(join(work, 'manifest.json'), 'utf8')) as {
    parts: Array<{table: string; file: string; rows: number; bytes: number; sha256: string}>
  }
  const lines: Record<string, string[]> = Object.fromEntries(
    manifest.parts.map((p) => [p.table, readFileSync(join(work, p.file), 'utf8').split('\n').filter(Boolean)]),
  )
  edit(lines)
  const sha = (text: string) => createHash('sha256').update(text).digest('hex')
  for (const p of manifest.parts) {
    const text = lines[p.table].map((l) => `${l}\n`).join('')
    writeFileSync(join(work, p.file), text)
    Object.assign(p, {rows: lines[p.table].length, bytes: Buffer.byteLength(text), sha256: sha(text)})
  }
  const text = JSON.stringify(manifest)
  writeFileSync(join(work, 'manifest.json'), text)
  writeFileSync(join(work, 'manifest.sha256'), `${sha(text)}  manifest.json\n`)
  const out = join(dir, name)
  execFileSync('tar', [
    '--format=ustar',
    '-cf',
    out,
    '-C',
    work,
    'manifest.json',
    'manifest.sha256',
    ...manifest.parts.map((p) => p.file),
  ])
  return out
}

test("a forged archive whose sums agree is refused when its rows reach past its organization: an owner row in another organization, a second organization, a conversation in another organization's project, users it does not need or lacks", async (t) => {
  const target = await freshDb(t)
  const south = join(dir, 'south-victim.tar')
  t.is((await cli(['orgs', 'export', 'south-uni', '--out', south])).code, 0)
  t.is((await into(target, ['orgs', 'import', south, '--yes'])).code, 0)
  const north = ids.org['north-high']
  const swapId = (line: string) => line.replace(/^[0-9a-f-]{36}/, randomUUID())
  const cases: Array<[string, (l: Record<string, string[]>) => void, RegExp]> = [
    [
      'owner-elsewhere.tar',
      (l) => {
        l.organization_members.push(
          swapId(l.organization_members.find((m) => m.includes(ids.id.ada))!.replace(north, ids.org['south-uni'])),
        )
      },
      /^Error: the archive holds more than organization north-high: 1 of its organization_members rows are another organization's\nHint: nothing was written/,
    ],
    [
      'second-org.tar',
      (l) => {
        l.organizations.push(
          l.organizations[0].replace(north, randomUUID()).replace('\tnorth-high\t', '\tforged-org\t'),
        )
      },
      /^Error: the archive holds more than organization north-high: 2 organization rows, where the manifest names north-high/,
    ],
    [
      'extra-user.tar',
      (l) => {
        l.users.push(
          swapId(l.users.find((u) => u.startsWith(ids.id.ada))!.replace('ada@example.org', 'forged@example.org')),
        )
      },
      /^Error: the archive holds more than organization north-high: 1 user\(s\) that none of its rows need/,
    ],
    [
      'foreign-project.tar',
      (l) => {
        l.conversations = l.conversations.map((c) => c.replace(ids.project.north, ids.project.south))
      },
      /^Error: the archive holds more than organization north-high: 1 conversations\.project_id reference\(s\) point into another organization/,
    ],
    [
      'lacks-user.tar',
      (l) => {
        l.users = l.users.filter((u) => !u.startsWith(ids.id.bob))
      },
      new RegExp(
        `^Error: the archive holds more than organization north-high: its rows need 1 user\\(s\\) it does not carry, e\\.g\\. ${ids.id.bob}`,
      ),
    ],
  ]
  const before = await checksum(target.pg)
  for (const [name, edit, message] of cases) {
    const r = await into(target, ['orgs', 'import', forged(name, edit), '--yes'])
    t.is(r.code, 2, `${name}: ${r.stderr}`)
    t.regex(r.stderr, message, name)
  }
  t.deepEqual(await checksum(target.pg), before, 'nothing written')
  const real = await into(target, ['orgs', 'import', archive, '--yes'])
  t.is(real.code, 0, real.stderr)
})

test('orgs export --out a fifo or - is exit 2 and the fifo stays one (a rename would replace it); through a symlink the target is written and the link kept', async (t) => {
  const fifo = join(dir, 'archive.fifo')
  execFileSync('mkfifo', [fifo])
  for (const out of [fifo, '-']) {
    const r = await cli(['orgs', 'export', 'north-high', '--out', out])
    t.is(r.code, 2, r.stderr)
    t.regex(r.stderr, new RegExp(`^Error: --out ${out} is not a regular file\\nHint: `))
  }
  t.true(lstatSync(fifo).isFIFO())
  const real = join(dir, 'linked.tar')
  writeFileSync(real, '')
  const link = join(dir, 'link.tar')
  symlinkSync(real, link)
  t.is((await cli(['orgs', 'export', 'north-high', '--out', link])).code, 0)
  t.true(lstatSync(link).isSymbolicLink())
  t.true(statSync(real).size > 10_000)
})
