import test from 'ava'
import {freshDb} from './helpers/db.js'
import {runCli} from './helpers/cli.js'

const DOCUMENTED_TABLES = [
  'users',
  'organizations',
  'projects',
  'files',
  'messages',
  'refresh_tokens',
  'security_events',
  'organization_members',
  'teams',
  'team_members',
  'project_members',
  'conversations',
  'conversation_participants',
  'notifications',
]
const DOCUMENTED_INDEXES = [
  'idx_users_email',
  'idx_users_oauth',
  'idx_organizations_slug',
  'idx_projects_organization',
  'idx_projects_status',
  'idx_files_project',
  'idx_files_organization',
  'idx_messages_conversation',
  'idx_messages_created_at',
  'idx_messages_content_search',
  'idx_projects_org_status',
  'idx_files_parent',
  'idx_notifications_unread',
  'idx_conversation_participants_active',
]

test('db migrate on an empty database creates every documented table and index, and is idempotent', async (t) => {
  const db = await freshDb(t, {migrated: false})
  const first = await runCli(['db', 'migrate', '--db-url', db.url, '--format', 'json'])
  t.is(first.code, 0, first.stderr)
  const applied = JSON.parse(first.stdout)
  t.true(applied.length >= 7)
  t.true(applied.every((r: {action: string}) => r.action === 'applied'))

  const {rows: tables} = await db.pg.query(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
  )
  const names = new Set(tables.map((r) => r.table_name))
  for (const table of DOCUMENTED_TABLES) t.true(names.has(table), `table ${table}`)
  const {rows: indexes} = await db.pg.query("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")
  const indexNames = new Set(indexes.map((r) => r.indexname))
  for (const index of DOCUMENTED_INDEXES) t.true(indexNames.has(index), `index ${index}`)
  const {
    rows: [gin],
  } = await db.pg.query("SELECT indexdef FROM pg_indexes WHERE indexname = 'idx_messages_content_search'")
  t.regex(gin.indexdef, /USING gin \(to_tsvector\('english'::regconfig, content\)\)/)

  const second = await runCli(['db', 'migrate', '--db-url', db.url, '--format', 'json'])
  t.is(second.code, 0)
  t.true(JSON.parse(second.stdout).every((r: {action: string}) => r.action === 'already applied'))
})

test('db status is 0 when up to date, 2 with the dropped index named, and migrate refuses an edited migration', async (t) => {
  const db = await freshDb(t)
  const ok = await runCli(['db', 'status', '--db-url', db.url, '--format', 'json'])
  t.is(ok.code, 0, ok.stderr)
  t.false(JSON.parse(ok.stdout).some((r: {state: string}) => r.state === 'missing' || r.state === 'changed'))

  await db.pg.query('DROP INDEX idx_messages_content_search')
  const drift = await runCli(['db', 'status', '--db-url', db.url, '--format', 'json'])
  t.is(drift.code, 2)
  const missing = JSON.parse(drift.stdout).filter((r: {state: string}) => r.state === 'missing')
  t.deepEqual(
    missing.map((r: {name: string}) => r.name),
    ['idx_messages_content_search'],
  )
  t.regex(drift.stderr, /1 drifted object/)

  await db.pg.query("UPDATE fluxadmin.schema_migrations SET checksum = 'x' WHERE version = '002'")
  const edited = await runCli(['db', 'migrate', '--db-url', db.url])
  t.is(edited.code, 5)
  t.regex(edited.stderr, /^Error: applied migration edited since: 002_users_organizations\nHint: /)
})

test('db status reports pending migrations with exit 1 on a database migrated by an older version', async (t) => {
  const db = await freshDb(t)
  await db.pg.query("DELETE FROM fluxadmin.schema_migrations WHERE version = '007'")
  const result = await runCli(['db', 'status', '--db-url', db.url, '--format', 'csv'])
  t.is(result.code, 1)
  t.regex(result.stdout, /migration,007_updated_at_triggers,pending/)
})

test('updated_at triggers maintain the column', async (t) => {
  const db = await freshDb(t)
  const {
    rows: [u],
  } = await db.pg.query(
    "INSERT INTO users (email, name, user_type, updated_at) VALUES ('a@b.co', 'A', 'client', now() - interval '1 day') RETURNING id, updated_at",
  )
  const {
    rows: [after],
  } = await db.pg.query("UPDATE users SET name = 'B' WHERE id = $1 RETURNING updated_at", [u.id])
  t.true(after.updated_at > u.updated_at)
  const err = await t.throwsAsync(
    db.pg.query("INSERT INTO users (email, name, user_type) VALUES ('c@b.co', 'C', 'wizard')"),
  )
  t.regex(err!.message, /users_user_type_check/)
})
