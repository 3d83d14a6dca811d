import type {TestFn} from 'ava'
import type pg from 'pg'
import {freshDb, type TestDb} from './helpers/db.js'

/** The window every expectation below is computed for: February 2026 (UTC). */
export const SINCE = '2026-02-01'
export const UNTIL = '2026-03-01'

/** Every report with the window it is run over against this fixture. */
const win = {since: SINCE, until: UNTIL}
export const REPORTS: Array<[string, {since?: string; until?: string}]> = [
  ['message-volume', win],
  ['messages-export', {}],
  ['projects-overdue', {until: UNTIL}],
  ['security-summary', win],
  ['storage', {}],
  ['tenant-usage', win],
  ['user-activity', win],
]

const U = (n: number) => `00000000-0000-4000-8000-00000000000${n}`
export const ids = {
  alice: U(1),
  bob: U(2),
  carol: U(3),
  dave: U(4),
  acme: '10000000-0000-4000-8000-000000000001',
  beta: '10000000-0000-4000-8000-000000000002',
  m1: '30000000-0000-4000-8000-000000000001',
}

/**
 * A tiny FluxStudio, small enough to check every number by hand:
 * 4 users (active, inactive, never logged in, disabled), 2 organizations, 4 projects (2 overdue),
 * 4 files (one versioned), 6 messages (one before and one at the end of the window) and 9 security
 * events (a burst of 6 failed logins from one IP in one hour).
 */
export async function loadFixture(client: pg.Client): Promise<void> {
  await client.query(`
INSERT INTO users (id, email, name, user_type, is_active, last_login, created_at) VALUES
  ('${ids.alice}', 'alice@acme.test', 'Alice', 'admin', true, '2026-02-15T00:00:00Z', '2025-06-01T00:00:00Z'),
  ('${ids.bob}', 'bob@acme.test', 'Bob', 'designer', true, '2026-01-10T00:00:00Z', '2025-06-02T00:00:00Z'),
  ('${ids.carol}', 'carol@beta.test', 'Carol', 'client', true, NULL, '2025-06-03T00:00:00Z'),
  ('${ids.dave}', 'dave@beta.test', 'Dave', 'designer', false, '2026-02-20T00:00:00Z', '2025-06-04T00:00:00Z');
INSERT INTO organizations (id, name, slug, type, subscription_tier, subscription_status, created_by) VALUES
  ('${ids.acme}', 'Acme Studio', 'acme', 'studio', 'pro', 'active', '${ids.alice}'),
  ('${ids.beta}', 'Beta University', 'beta', 'university', 'free', 'active', '${ids.dave}');
INSERT INTO organization_members (organization_id, user_id, role) VALUES
  ('${ids.acme}', '${ids.alice}', 'owner'), ('${ids.acme}', '${ids.bob}', 'member'), ('${ids.acme}', '${ids.carol}', 'viewer'),
  ('${ids.beta}', '${ids.carol}', 'member'), ('${ids.beta}', '${ids.dave}', 'owner');
INSERT INTO teams (id, organization_id, name, slug) VALUES ('20000000-0000-4000-8000-000000000001', '${ids.acme}', 'Design', 'design');
INSERT INTO projects (id, name, slug, organization_id, manager_id, client_id, status, priority, project_type, service_category, service_tier, ensemble_type, budget, estimated_hours, actual_hours, due_date) VALUES
  ('40000000-0000-4000-8000-000000000001', 'Poster', 'poster', '${ids.acme}', '${ids.alice}', '${ids.carol}', 'active', 'high', 'print', 'design', 'standard', 'band', 1000.50, 10, 15, '2026-02-20'),
  ('40000000-0000-4000-8000-000000000002', 'Logo', 'logo', '${ids.acme}', '${ids.alice}', NULL, 'completed', 'low', 'brand', 'design', 'standard', 'band', 500, 5, 5, '2026-01-01'),
  ('40000000-0000-4000-8000-000000000003', 'Site', 'site', '${ids.acme}', '${ids.bob}', NULL, 'planning', 'medium', 'web', 'design', 'standard', 'band', NULL, NULL, 0, '2026-04-01'),
  ('40000000-0000-4000-8000-000000000004', 'Show', 'show', '${ids.beta}', '${ids.dave}', NULL, 'on-hold', 'urgent', 'drill', 'show', 'premium', 'marching', NULL, 20, 5, '2026-02-27');
INSERT INTO files (id, name, original_name, file_path, file_url, mime_type, file_size, category, version, is_latest, parent_file_id, organization_id, uploaded_by, created_at) VALUES
  ('50000000-0000-4000-8000-000000000001', 'a-v1', 'a.png', '/a1', 'https://f/a1', 'image/png', 100, 'design', 1, false, NULL, '${ids.acme}', '${ids.alice}', '2026-01-20T00:00:00Z'),
  ('50000000-0000-4000-8000-000000000002', 'a-v2', 'a.png', '/a2', 'https://f/a2', 'image/png', 300, 'design', 2, true, '50000000-0000-4000-8000-000000000001', '${ids.acme}', '${ids.alice}', '2026-02-10T00:00:00Z'),
  ('50000000-0000-4000-8000-000000000003', 'ref', 'ref.pdf', '/r', 'https://f/r', 'application/pdf', 50, 'reference', 1, true, NULL, '${ids.acme}', '${ids.bob}', '2026-01-05T00:00:00Z'),
  ('50000000-0000-4000-8000-000000000004', 'b', 'b.mov', '/b', 'https://f/b', 'video/quicktime', 1000, 'final', 1, true, NULL, '${ids.beta}', '${ids.dave}', '2026-02-25T00:00:00Z');
INSERT INTO conversations (id, organization_id, name, type) VALUES
  ('60000000-0000-4000-8000-000000000001', '${ids.acme}', 'general', 'group'),
  ('60000000-0000-4000-8000-000000000002', '${ids.beta}', 'crew', 'group');
INSERT INTO messages (id, conversation_id, author_id, content, message_type, mentions, attachments, metadata, created_at) VALUES
  ('${ids.m1}', '60000000-0000-4000-8000-000000000001', '${ids.alice}', E'hello, "world"\\nline two', 'text', '{}', '[]', '{}', '2026-02-02T10:00:00Z'),
  ('30000000-0000-4000-8000-000000000002', '60000000-0000-4000-8000-000000000001', '${ids.bob}', 'second', 'text', '{}', '[]', '{}', '2026-02-02T11:00:00Z'),
  ('30000000-0000-4000-8000-000000000003', '60000000-0000-4000-8000-000000000001', '${ids.alice}', 'third', 'image', '{${ids.bob}}', '[{"name": "x.png"}]', '{"k": 1}', '2026-02-03T09:00:00Z'),
  ('30000000-0000-4000-8000-000000000004', '60000000-0000-4000-8000-000000000001', '${ids.bob}', 'old', 'text', '{}', '[]', '{}', '2026-01-15T00:00:00Z'),
  ('30000000-0000-4000-8000-000000000005', '60000000-0000-4000-8000-000000000002', '${ids.carol}', 'beta msg', 'text', '{}', '[]', '{}', '2026-02-03T12:00:00Z'),
  ('30000000-0000-4000-8000-000000000006', '60000000-0000-4000-8000-000000000002', '${ids.dave}', NULL, 'system', '{}', '[]', '{}', '2026-03-01T00:00:00Z');
INSERT INTO security_events (user_id, event_type, severity, ip_address, created_at)
SELECT '${ids.bob}', 'auth.login.failed', 'warning', '10.0.0.9', '2026-02-05T10:00:00Z'::timestamptz + k * interval '10 minutes' FROM generate_series(0, 5) k;
INSERT INTO security_events (user_id, event_type, severity, ip_address, created_at) VALUES
  ('${ids.carol}', 'auth.login.failed', 'warning', '10.0.0.7', '2026-02-05T11:00:00Z'),
  ('${ids.alice}', 'auth.login.success', 'info', '10.0.0.1', '2026-02-06T08:00:00Z'),
  ('${ids.dave}', 'auth.token.reuse', 'critical', '10.0.0.4', '2026-01-10T00:00:00Z');
`)
}

/** A CSV cell (COPY text forms: `2026-02-02 10:00:00+00`, jsonb text) against the JSON value of the same cell. */
export function sameCell(text: string, value: unknown): boolean {
  if (value === null) return text === ''
  if (typeof value === 'object') return JSON.stringify(JSON.parse(text)) === JSON.stringify(value)
  if (typeof value === 'number') return Number(text) === value
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(value))
    return new Date(text.replace(' ', 'T').replace(/\+00$/, 'Z')).getTime() === Date.parse(value)
  return text === value
}

/** One fresh database with the fixture for a whole test file (plus `more` data); dropped after it. */
export function fixtureDb(test: TestFn, more: (db: TestDb) => Promise<void> = async () => {}): () => TestDb {
  let db: TestDb | undefined
  let drop = async () => {}
  test.after.always(() => drop())
  test.before(async () => {
    db = await freshDb({
      after: {
        always: (fn) => {
          drop = fn
        },
      },
    })
    await loadFixture(db.pg)
    await more(db)
  })
  return () => db!
}
