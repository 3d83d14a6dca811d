// Every organization keeps an owner: erase and import refuse to leave one without, create can make one,
// and health app finds those that have none (issue 32: D6).
import {execFileSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import test from 'ava'
import {runCli} from './helpers/cli.js'
import {freshDb} from './helpers/db.js'
import {checksum, cliFor, fileDb, fixture, json} from './tenants-fixtures.js'

let ids: Awaited<ReturnType<typeof fixture>>
const db = fileDb(test, async (d) => {
  ids = await fixture(d.pg)
})
const cli = cliFor(db)

test.serial(
  "users erase of an organization's only owner is exit 5 and changes nothing; with a second owner it goes through",
  async (t) => {
    const before = await checksum(db().pg)
    for (const extra of [['--yes'], ['--dry-run']]) {
      const r = await cli(['users', 'erase', 'ada@example.org', ...extra])
      t.is(r.code, 5, r.stderr)
      t.is(
        r.stderr,
        `Error: user ${ids.id.ada} is the only owner of north-high: erasing them would leave it with none\n` +
          'Hint: make another member owner first (`fluxadmin members set-role north-high USER owner`), or purge the organization; nothing was changed\n',
      )
    }
    t.deepEqual(await checksum(db().pg), before)
    t.is((await cli(['members', 'set-role', 'north-high', 'bob@example.org', 'owner', '--yes'])).code, 0)
    const erased = await cli(['users', 'erase', 'ada@example.org', '--yes'])
    t.is(erased.code, 0, erased.stderr)
  },
)

test.serial(
  'orgs create --owner makes the owner in the same transaction; without it stderr says it has none, and health app counts it',
  async (t) => {
    const owned = await cli([
      'orgs',
      'create',
      '--slug',
      'west',
      '--name',
      'West',
      '--type',
      'studio',
      '--owner',
      'cy@example.org',
      '--format',
      'json',
    ])
    t.is(owned.code, 0, owned.stderr)
    t.is(owned.stderr, '')
    t.like(json(owned.stdout), [
      {action: 'create', kind: 'organization', name: 'west'},
      {action: 'add', kind: 'member', name: 'west/cy@example.org', after: 'owner'},
    ])
    const {
      rows: [audit],
    } = await db().pg.query(
      "SELECT metadata FROM security_events WHERE event_type = 'admin.org.created' AND metadata->'args'->>'slug' = 'west'",
    )
    t.is(audit.metadata.owner_id, ids.id.cy)
    // An unknown owner: nothing is created.
    const unknown = await cli([
      'orgs',
      'create',
      '--slug',
      'nobody',
      '--name',
      'Nobody',
      '--type',
      'studio',
      '--owner',
      'zed@example.org',
    ])
    t.is(unknown.code, 4, unknown.stderr)
    t.is((await db().pg.query("SELECT 1 FROM organizations WHERE slug = 'nobody'")).rowCount, 0)
    const bare = await cli(['orgs', 'create', '--slug', 'east', '--name', 'East', '--type', 'studio'])
    t.is(bare.code, 0, bare.stderr)
    t.is(
      bare.stderr,
      'fluxadmin: east has no owner yet: make one with `fluxadmin members add east USER --role owner`\n',
    )
    const app = await cli(['health', 'app', '--format', 'json'])
    const check = json(app.stdout).find((c: {check: string}) => c.check === 'app_ownerless_orgs')
    // south-uni (bob is its admin) and east.
    t.like(check, {state: 'WARNING', value: 2})
    t.regex(check.detail, /^2 organization\(s\) without an owner: east, south-uni; make a member owner/)
  },
)

test.serial(
  'orgs import of an archive whose owner row was edited to member, checksums made to agree: exit 5, nothing written',
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'fluxadmin-owner-test-'))
    t.teardown(() => rmSync(dir, {recursive: true, force: true}))
    const archive = join(dir, 'west.tar')
    t.is((await cli(['orgs', 'export', 'west', '--out', archive])).code, 0)
    // The attacker's edit: the owner row says member; each part's sum and the manifest's are recomputed.
    execFileSync('tar', ['-xf', archive, '-C', dir])
    const sha = (text: string) => createHash('sha256').update(text).digest('hex')
    const members = readFileSync(join(dir, 'organization_members.copy'), 'utf8').replace('\towner\t', '\tmember\t')
    writeFileSync(join(dir, 'organization_members.copy'), members)
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))
    Object.assign(
      manifest.parts.find((p: {table: string}) => p.table === 'organization_members'),
      {bytes: Buffer.byteLength(members), sha256: sha(members)},
    )
    const text = JSON.stringify(manifest)
    writeFileSync(join(dir, 'manifest.json'), text)
    writeFileSync(join(dir, 'manifest.sha256'), `${sha(text)}  manifest.json\n`)
    const forged = join(dir, 'forged.tar')
    execFileSync('tar', [
      '--format=ustar',
      '-cf',
      forged,
      '-C',
      dir,
      'manifest.json',
      'manifest.sha256',
      ...manifest.parts.map((p: {file: string}) => p.file),
    ])
    const target = await freshDb(t)
    const before = await checksum(target.pg)
    const r = await runCli(['orgs', 'import', forged, '--yes', '--db-url', target.url])
    t.is(r.code, 5, r.stderr)
    t.regex(
      r.stderr,
      /^Error: the archive's organization west has no owner among its members\nHint: nothing was written/,
    )
    t.deepEqual(await checksum(target.pg), before)
    const real = await runCli(['orgs', 'import', archive, '--yes', '--db-url', target.url])
    t.is(real.code, 0, real.stderr)
  },
)
