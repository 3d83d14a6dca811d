// Shared by the test/lifecycle-*.test.ts files: tenant data in every table an archive holds, and sums of one organization's rows.
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type pg from 'pg'
import {fixture, projectFixture} from './tenants-fixtures.js'

/** Message texts COPY must carry unchanged. */
export const TRICKY = [
  'back\\slash \\N \\. end',
  'quotes \' " `',
  'tab\there',
  'new\nline\r\nand cr',
  'non-ASCII: Grüße, 日本語, emoji 🎺',
  '',
]

/**
 * fixture() and projectFixture(), plus in each organization: a team member, a conversation with
 * participants and messages (one a reply), a file with a newer version, a notification and a security event.
 */
export async function lifecycleFixture(client: pg.Client) {
  const base = await fixture(client)
  const project = await projectFixture(client, base)
  const {id, org} = base
  await client.query(
    `UPDATE users SET password_hash = '$2b$10$abcdefghijklmnopqrstuv', phone = '+1 555 0100', preferences = '{"theme":"dark"}' WHERE id = $1`,
    [id.ada],
  )
  await client.query(
    `INSERT INTO team_members (team_id, user_id, role) SELECT id, $1, 'lead' FROM teams WHERE organization_id = $2`,
    [id.ada, org['north-high']],
  )
  for (const [slug, author, other, side] of [
    ['north-high', id.ada, id.bob, 'north'],
    ['south-uni', id.bob, id.bob, 'south'],
  ] as const) {
    const {
      rows: [c],
    } = await client.query(
      `INSERT INTO conversations (organization_id, project_id, name, type, created_by) VALUES ($1, $2, 'Band room', 'project', $3) RETURNING id`,
      [org[slug], project[side], author],
    )
    await client.query(
      `INSERT INTO conversation_participants (conversation_id, user_id, role) SELECT $1, u, 'member' FROM unnest($2::uuid[]) u GROUP BY u`,
      [c.id, [author, other]],
    )
    const texts = slug === 'north-high' ? TRICKY : ['south only']
    const {rows: msgs} = await client.query(
      `INSERT INTO messages (conversation_id, author_id, content, mentions, attachments, created_at)
      SELECT $1, $2, t, ARRAY[$3::uuid], '[{"n":1}]', now() - (o || ' minutes')::interval FROM unnest($4::text[]) WITH ORDINALITY AS x(t, o) RETURNING id`,
      [c.id, author, other, texts],
    )
    await client.query(
      `INSERT INTO messages (conversation_id, author_id, content, reply_to_id) VALUES ($1, $2, 'a reply', $3)`,
      [c.id, other, msgs[0].id],
    )
    const {
      rows: [f],
    } = await client.query(
      `INSERT INTO files (name, original_name, file_path, file_url, mime_type, file_size, project_id, organization_id, uploaded_by, is_latest)
      VALUES ('poster', 'poster v1.pdf', '/o/p1', 'https://cdn/p1', 'application/pdf', 1234, $1, $2, $3, false) RETURNING id`,
      [project[side], org[slug], author],
    )
    await client.query(
      `INSERT INTO files (name, original_name, file_path, file_url, mime_type, file_size, project_id, organization_id, uploaded_by, parent_file_id, version)
      VALUES ('poster', 'poster v2.pdf', '/o/p2', 'https://cdn/p2', 'application/pdf', 2345, $1, $2, $3, $4, 2)`,
      [project[side], org[slug], author, f.id],
    )
    await client.query(
      `INSERT INTO notifications (user_id, organization_id, type, title, body) VALUES ($1, $2, 'mention', 'You were mentioned', 'in Band room')`,
      [other, org[slug]],
    )
    await client.query(
      `INSERT INTO security_events (user_id, event_type, severity, description, metadata) VALUES ($1, 'admin.member.added', 'info', 'added', $2)`,
      [other, {org_id: org[slug]}],
    )
  }
  return {...base, project}
}

/** The tables and how each one's rows belong to an organization ($1), for independent sums in tests. */
export const ORG_SCOPE: Record<string, string> = {
  organizations: 'id = $1',
  organization_members: 'organization_id = $1',
  teams: 'organization_id = $1',
  team_members: 'team_id IN (SELECT id FROM teams WHERE organization_id = $1)',
  projects: 'organization_id = $1',
  project_members: 'project_id IN (SELECT id FROM projects WHERE organization_id = $1)',
  files: 'organization_id = $1',
  conversations: 'organization_id = $1',
  conversation_participants: 'conversation_id IN (SELECT id FROM conversations WHERE organization_id = $1)',
  messages: 'conversation_id IN (SELECT id FROM conversations WHERE organization_id = $1)',
  notifications: 'organization_id = $1',
  security_events: "metadata->>'org_id' = $1::text AND event_type NOT LIKE 'admin.org.%'",
}

/** Row count and md5 of one organization's rows in every table (the test's own SQL, not fluxadmin's). */
export async function orgSums(client: pg.Client, orgId: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const [table, where] of Object.entries(ORG_SCOPE)) {
    const {
      rows: [r],
    } = await client.query(
      `SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t.id)), '') AS sum FROM ${table} t WHERE ${where}`,
      [orgId],
    )
    out[table] = r.sum
  }
  return out
}

export const tempDir = () => mkdtempSync(join(process.env.FLUXADMIN_TEST_DIR ?? tmpdir(), 'lifecycle-'))
