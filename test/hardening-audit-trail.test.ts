// Work that only reads is still audited: an export, a restore point, a verification in a session that defaults to
// read-only, or with a role that cannot write the audit row (issue 32: D1, D14 and the smaller backup items).
import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import test from 'ava'
import {createBackup} from '../src/backup/create.js'
import {smallFixture, tempDir, verifyCli} from './backup-fixtures.js'
import {runCli} from './helpers/cli.js'
import {freshDb, urlFor} from './helpers/db.js'
import {limitedRole} from './helpers/roles.js'
import {auditRows} from './tenants-fixtures.js'

const readOnly = {PGOPTIONS: '-c default_transaction_read_only=on'}

test('orgs export by a role that cannot write the audit row: exit 6, and no archive or temporary file is left', async (t) => {
  const db = await freshDb(t)
  await smallFixture(db)
  const reader = await limitedRole(t, db, ['GRANT pg_read_all_data TO {role}'])
  const dir = tempDir(t)
  const r = await runCli([
    'orgs',
    'export',
    'acme',
    '--with-secrets',
    '--out',
    join(dir, 'acme.tar'),
    '--db-url',
    reader.url,
  ])
  t.is(r.code, 6, r.stderr)
  t.regex(r.stderr, /^Error: permission denied: permission denied for table security_events\n/)
  t.deepEqual(readdirSync(dir), [])
  // The same export in a read-only session of a role that may audit: written, and in the audit trail.
  const ok = await runCli(
    ['orgs', 'export', 'acme', '--with-secrets', '--out', join(dir, 'acme.tar'), '--db-url', db.url],
    {env: readOnly},
  )
  t.is(ok.code, 0, ok.stderr)
  t.is(ok.stderr, '')
  t.true(existsSync(join(dir, 'acme.tar')))
  t.is((await auditRows(db.pg, 'admin.org.exported')).length, 1)
})

test('backup restore-point in a session that defaults to read-only is created and audited', async (t) => {
  const db = await freshDb(t)
  const dir = tempDir(t)
  const r = await runCli(['backup', 'restore-point', `ro-${db.name}`, '--dir', dir, '--db-url', db.url], {
    env: readOnly,
  })
  t.is(r.code, 0, r.stderr)
  t.true(existsSync(join(dir, `ro-${db.name}.restore-point.json`)))
  t.like(await auditRows(db.pg, 'admin.backup.restore_point_created'), [{metadata: {name: `ro-${db.name}`}}])
})

test('backup verify that cannot create its scratch database (no CREATEDB, or a read-only session): exit 3, nothing audited or recorded', async (t) => {
  const db = await freshDb(t)
  await smallFixture(db)
  const {file} = await createBackup(await db.session(), {dir: tempDir(t)})
  const plain = await limitedRole(t, db)
  for (const [url, env] of [
    [plain.url, {}],
    [db.url, readOnly],
  ] as const) {
    const r = await runCli(['backup', 'verify', file, '--db-url', url], {env, timeoutMs: 150_000})
    t.is(r.code, 3, r.stderr)
    t.regex(
      r.stderr,
      /^Error: \S+ cannot create the scratch database on .*: (permission denied to create database|cannot execute CREATE DATABASE in a read-only transaction)\nHint: connect as a role with CREATEDB/,
    )
  }
  t.deepEqual(await auditRows(db.pg, 'admin.backup.verified'), [])
  t.false(existsSync(`${file}.verify.json`), 'the backup is not marked bad')
})

test('backup verify whose audit row cannot be written exits 6, not 0; in a read-only session it is audited', async (t) => {
  const db = await freshDb(t)
  await smallFixture(db)
  const {file} = await createBackup(await db.session(), {dir: tempDir(t)})
  await db.pg
    .query(`CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'the audit table is closed'; END$$;
    CREATE TRIGGER refuse_audit BEFORE INSERT ON security_events FOR EACH ROW WHEN (NEW.event_type = 'admin.backup.verified') EXECUTE FUNCTION refuse_audit()`)
  const refused = await verifyCli([file, '--db-url', db.url, '--format', 'json'])
  t.is(refused.code, 6, refused.stderr)
  t.regex(
    refused.stderr,
    /^fluxadmin: error: the result is not recorded in security_events of \S+: database error P0001: the audit table is closed\n$/m,
  )
  t.true(
    (JSON.parse(refused.stdout) as Array<{status: string}>).every((s) => s.status === 'pass'),
    'every step passed and is printed',
  )
  await db.pg.query(
    `DROP TRIGGER refuse_audit ON security_events; ALTER DATABASE ${db.name} SET default_transaction_read_only = on`,
  )
  // The scratch database is created from the postgres database; the --db-url session, which audits, defaults to read-only.
  const ro = await verifyCli([file, '--db-url', db.url, '--target-url', urlFor('postgres')])
  t.is(ro.code, 0, ro.stderr)
  t.like(await auditRows(db.pg, 'admin.backup.verified'), [{metadata: {ok: true}}])
})
