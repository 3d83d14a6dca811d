import type pg from 'pg'
import {layoutQuery} from '../schema/citus-layout.js'
import {CopyOutStream} from '../db/copy-out.js'
import {query} from '../db/queries.js'
import {usageError} from '../errors.js'
import type {Manifest, PartTable} from './parts.js'

export type RowCounts = Record<string, number>

/** The rows of one organization per table, as a purge would delete them (users: members of no other organization). */
export async function orgRowCounts(client: pg.ClientBase, orgId: string): Promise<RowCounts> {
  const {rows} = await client.query(query('lifecycle/purge-counts').text, [orgId])
  return Object.fromEntries(rows.map((r) => [r.table_name, Number(r.row_count)]))
}

/**
 * An archive's checksums are its own, so a consistent archive can still be hostile: rows of another
 * organization (a member row making someone an owner there), a second organization, references into
 * another organization's rows (a conversation in its project), users that none of its rows need, rows
 * that need users it does not carry. After the parts are loaded (in the import's transaction), every
 * loaded row must be the organization's: its row counts grew by exactly what was loaded (`before` is
 * from before loading), none of its rows points into another organization, and the users staged are
 * exactly those its rows need.
 */
export async function checkScope(
  client: pg.ClientBase,
  manifest: Manifest,
  before: RowCounts,
  loaded: Map<PartTable, number>,
): Promise<void> {
  const org = manifest.organization
  const refuse = (why: string) =>
    usageError(
      `the archive holds more than organization ${org.slug}: ${why}`,
      'nothing was written; import only archives that `fluxadmin orgs export` wrote, unchanged',
    )
  const {rows: orgs} = await client.query(query('lifecycle/find-org-taken').text, [org.id, org.slug])
  if (loaded.get('organizations') !== 1 || orgs.length !== 1 || orgs[0].id !== org.id || orgs[0].slug !== org.slug) {
    throw refuse(
      `${loaded.get('organizations')} organization rows, where the manifest names ${org.slug} (${org.id}) alone`,
    )
  }
  const after = await orgRowCounts(client, org.id)
  for (const [table, count] of Object.entries(after)) {
    if (table === 'users') continue
    const foreign = loaded.get(table as PartTable)! - (count - (before[table] ?? 0))
    if (foreign !== 0) throw refuse(`${foreign} of its ${table} rows are another organization's`)
  }
  const {
    rows: [reference],
  } = await client.query(query('lifecycle/foreign-references').text, [org.id])
  if (reference)
    throw refuse(`${reference.row_count} ${reference.reference} reference(s) point into another organization`)
  const needed = await neededUsers(client, org.id)
  const staged = new Set((await client.query(query('lifecycle/staged-user-ids').text)).rows.map((r) => r.id as string))
  const extra = [...staged].filter((id) => !needed.has(id))
  if (extra.length > 0) throw refuse(`${extra.length} user(s) that none of its rows need, e.g. ${extra[0]}`)
  const missing = [...needed].filter((id) => !staged.has(id))
  if (missing.length > 0)
    throw refuse(`its rows need ${missing.length} user(s) it does not carry, e.g. ${missing[0]} of this database`)
}

/** The ids of the users the organization's rows need: the first column of the export's users part. */
async function neededUsers(client: pg.ClientBase, orgId: string): Promise<Set<string>> {
  await client.query(query('lifecycle/set-scope').text, [orgId, 'off'])
  const stream = client.query(
    new CopyOutStream((await layoutQuery(client, 'lifecycle/export-users')).text, {binary: false}),
  )
  // Line by line, not one string: a university has tens of thousands of users.
  const ids = new Set<string>()
  let rest = ''
  for await (const chunk of stream) {
    const lines = (rest + (chunk as Buffer).toString('utf8')).split('\n')
    rest = lines.pop()!
    for (const line of lines) ids.add(line.slice(0, line.indexOf('\t')))
  }
  return ids
}
