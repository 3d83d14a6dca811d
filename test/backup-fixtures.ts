import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import pg from 'pg'
import {adminUrl, type TestDb} from './helpers/db.js'
import type {CliResult} from './helpers/cli.js'

/** Two organizations (acme: 3 members, 2 teams; beta: 1 member), three users. Known counts. */
export async function smallFixture(db: TestDb): Promise<void> {
  await db.pg.query(`
    WITH u AS (INSERT INTO users (email, name, user_type) VALUES ('a@x.co', 'A', 'client'), ('b@x.co', 'B', 'designer'), ('c@x.co', 'C', 'admin') RETURNING id, email),
    o AS (INSERT INTO organizations (name, slug, type) VALUES ('Acme', 'acme', 'university'), ('Beta', 'beta', 'independent') RETURNING id, slug),
    m AS (INSERT INTO organization_members (organization_id, user_id) SELECT o.id, u.id FROM o, u WHERE o.slug = 'acme' OR u.email = 'a@x.co' RETURNING 1)
    INSERT INTO teams (organization_id, name, slug) SELECT o.id, t, t FROM o, unnest(ARRAY['red', 'blue']) t WHERE o.slug = 'acme'`)
}

export function tempDir(t: {teardown(fn: () => void): void}): string {
  const dir = mkdtempSync(join(tmpdir(), 'fluxadmin-backup-test-'))
  t.teardown(() => rmSync(dir, {recursive: true, force: true}))
  return dir
}

/** Names of scratch databases left on the test server (must always be none). */
export async function leftoverScratch(): Promise<string[]> {
  const client = new pg.Client({connectionString: adminUrl()})
  await client.connect()
  try {
    const {rows} = await client.query("SELECT datname FROM pg_database WHERE datname LIKE 'fluxadmin_verify_%'")
    return rows.map((r) => r.datname)
  } finally {
    await client.end()
  }
}

/** Rewrites a manifest field (e.g. after corrupting the dump on purpose). */
export function editManifest(dump: string, edit: (m: Record<string, any>) => void): void {
  const path = `${dump}.manifest.json`
  const m = JSON.parse(readFileSync(path, 'utf8'))
  edit(m)
  writeFileSync(path, JSON.stringify(m))
}

export function parseJson(result: CliResult): any {
  try {
    return JSON.parse(result.stdout)
  } catch {
    throw new Error(`not JSON (exit ${result.code}): ${result.stdout}\n${result.stderr}`)
  }
}
