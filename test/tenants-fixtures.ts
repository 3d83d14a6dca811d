// Shared by the test/tenants-*.test.ts files: a tiny known fixture and a checksum of every table.
import {freshDb, type TestDb} from './helpers/db.js'
import {runCli} from './helpers/cli.js'
import type pg from 'pg'

/** md5 of every public table's full contents (plus row counts), to prove a dry run changed nothing. */
export async function checksum(client: pg.Client): Promise<Record<string, string>> {
  const {rows: tables} = await client.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
  const out: Record<string, string> = {}
  for (const {tablename} of tables) {
    const {
      rows: [r],
    } = await client.query(
      `SELECT count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS sum FROM ${client.escapeIdentifier(tablename)} t`,
    )
    out[tablename] = r.sum
  }
  return out
}

/**
 * Two orgs (north-high active, south-uni active), users ada (north only), bob (north + south),
 * cy (no org); each user has one active token, ada also one expired and one revoked.
 */
export async function fixture(client: pg.Client) {
  const {rows: users} = await client.query(`INSERT INTO users (email, name, user_type) VALUES
    ('ada@example.org', 'Ada', 'designer'), ('bob@example.org', 'Bob', 'client'), ('cy@example.org', 'Cy', 'admin')
    RETURNING id, email`)
  const id = Object.fromEntries(users.map((u) => [u.email.split('@')[0], u.id as string]))
  const {rows: orgs} = await client.query(`INSERT INTO organizations (name, slug, type) VALUES
    ('North High', 'north-high', 'high_school'), ('South Uni', 'south-uni', 'university') RETURNING id, slug`)
  const org = Object.fromEntries(orgs.map((o) => [o.slug, o.id as string]))
  await client.query(
    `INSERT INTO organization_members (organization_id, user_id, role) VALUES
    ($1, $3, 'owner'), ($1, $4, 'member'), ($2, $4, 'admin')`,
    [org['north-high'], org['south-uni'], id.ada, id.bob],
  )
  await client.query(`INSERT INTO teams (organization_id, name, slug) VALUES ($1, 'Brass', 'brass')`, [
    org['north-high'],
  ])
  await client.query(
    `INSERT INTO refresh_tokens (user_id, token_hash, ip_address, device_info, expires_at, revoked_at, created_at) VALUES
    ($1, 'h1', '10.0.0.1', '{"ua":"firefox"}', now() + interval '7 days', NULL, now() - interval '1 day'),
    ($1, 'h2', '10.0.0.2', NULL, now() - interval '40 days', NULL, now() - interval '60 days'),
    ($1, 'h3', '10.0.0.3', NULL, now() + interval '7 days', now() - interval '35 days', now() - interval '50 days'),
    ($2, 'h4', '10.0.0.4', NULL, now() + interval '7 days', NULL, now()),
    ($3, 'h5', '10.0.0.5', NULL, now() + interval '7 days', NULL, now())`,
    [id.ada, id.bob, id.cy],
  )
  return {id, org}
}

/**
 * On top of fixture(): a project spring-concert in each organization (the same slug on purpose),
 * managed by ada in north-high (her project_members row says manager) and by bob in south-uni.
 */
export async function projectFixture(client: pg.Client, {id, org}: Awaited<ReturnType<typeof fixture>>) {
  const {rows} = await client.query(
    `INSERT INTO projects (name, slug, organization_id, manager_id, status, project_type, service_category, service_tier, ensemble_type, due_date)
    VALUES ('Spring Concert', 'spring-concert', $1, $3, 'active', 'poster series', 'design', 'standard', 'choir', '2030-05-01'),
           ('Spring Concert', 'spring-concert', $2, $4, 'planning', 'website', 'design', 'basic', 'none', NULL)
    RETURNING id, organization_id`,
    [org['north-high'], org['south-uni'], id.ada, id.bob],
  )
  const project = Object.fromEntries(
    rows.map((p) => [p.organization_id === org['north-high'] ? 'north' : 'south', p.id as string]),
  )
  await client.query(`INSERT INTO project_members (project_id, user_id, role) VALUES ($1, $2, 'manager')`, [
    project.north,
    id.ada,
  ])
  return project
}

export async function auditRows(client: pg.Client, type: string) {
  const {rows} = await client.query('SELECT * FROM security_events WHERE event_type = $1 ORDER BY created_at', [type])
  return rows
}

export const json = (stdout: string) => JSON.parse(stdout)

/** One fresh database for a whole test file, created in test.before and dropped in test.after.always. */
export function fileDb(
  test: {before: (fn: () => Promise<void>) => void; after: {always: (fn: () => Promise<void>) => void}},
  setup?: (db: TestDb) => Promise<void>,
): () => TestDb {
  let db: TestDb | undefined
  let cleanup: (() => Promise<void>) | undefined
  test.before(async () => {
    db = await freshDb({
      after: {
        always: (fn) => {
          cleanup = fn
        },
      },
    })
    await setup?.(db)
  })
  test.after.always(async () => {
    await cleanup?.()
  })
  return () => db!
}

/** Spawns the CLI against the file's database as actor ops-test (generous timeout: the test machine is shared). */
export function cliFor(getDb: () => TestDb) {
  return (args: string[], input?: string) =>
    runCli([...args, '--db-url', getDb().url], {env: {FLUXADMIN_ACTOR: 'ops-test'}, input, timeoutMs: 170_000})
}
