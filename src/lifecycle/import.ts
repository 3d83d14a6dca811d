import {pipeline} from 'node:stream/promises'
import type pg from 'pg'
import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {conflict, usageError} from '../errors.js'
import {appliedMigrations} from '../schema/migrate.js'
import {change, mutate, type Change, type MutationOptions} from '../tenants/mutation.js'
import {openArchive, type OpenedArchive} from './archive-read.js'
import {PARTS, type Manifest, type PartTable} from './parts.js'
import {checkScope, orgRowCounts} from './scope.js'
import {streamParts} from './snapshot.js'

export interface ImportOptions extends MutationOptions {
  /** Set by `orgs move`: recorded in the audit row on this side too. */
  moveId?: string
  /** Re-export the organization inside the transaction and compare it with the manifest before committing. */
  verify?: boolean
  onPart?: (table: PartTable, rows: number) => void
}

/**
 * Loads an archive into this database in one transaction, ids preserved: the archive is proven whole
 * first (exit 2), then the schema version (exit 2), an existing organization (exit 5) and users whose
 * id and email disagree (exit 5) are refused before the first row is written; an organization
 * without an owner (exit 5) once its rows are in, and rolled back.
 */
export async function importOrg(session: Session, file: string, options: ImportOptions): Promise<Change[]> {
  const archive = await openArchive(file)
  try {
    const {manifest} = archive
    const org = manifest.organization
    return await mutate(session, options, async (client) => {
      // Not a wait for the other run's lock_timeout: it is a conflict (exit 5), now.
      const {
        rows: [{locked}],
      } = await client.query(query('lifecycle/try-lock-org').text, [org.id])
      if (!locked)
        throw conflict(
          `another import or move of organization ${org.slug} (${org.id}) is running in this database`,
          'nothing was written; wait for it to finish, then check with `fluxadmin orgs show`',
        )
      await checkSchema(client, manifest)
      const {
        rows: [taken],
      } = await client.query(query('lifecycle/find-org-taken').text, [org.id, org.slug])
      if (taken)
        throw conflict(
          `organization ${taken.slug} (${taken.id}) already exists in this database`,
          'nothing was written; purge it there first (`fluxadmin orgs purge`) or import elsewhere',
        )
      const before = await orgRowCounts(client, org.id)
      const loaded = new Map<PartTable, number>()
      const changes = await loadUsers(client, archive, loaded)
      for (const table of PARTS.slice(1)) {
        const rows = await copyPart(client, archive, table, `lifecycle/import-${table}`)
        loaded.set(table, rows)
        changes.push(change('import', table, null, org.slug, 'rows', null, rows))
        options.onPart?.(table, rows)
      }
      await checkScope(client, manifest, before, loaded)
      // An edited archive can be checksummed again; an organization nobody can administer is refused all the same.
      if ((await client.query(query('tenants/lock-owners').text, [org.id])).rowCount === 0) {
        throw conflict(
          `the archive's organization ${org.slug} has no owner among its members`,
          'nothing was written; export it again after making a member owner (`fluxadmin members set-role ORG USER owner`)',
        )
      }
      if (options.verify) await verifyAgainst(client, manifest)
      const rows = Object.fromEntries(manifest.parts.map((p) => [p.table, p.rows]))
      return {
        changes,
        audit: {
          eventType: 'admin.org.imported',
          severity: 'warning',
          description: `imported organization ${org.slug}${options.moveId ? ` (move ${options.moveId})` : ''}`,
          metadata: {org_id: org.id, move_id: options.moveId ?? null, archive_created_at: manifest.created_at, rows},
        },
      }
    })
  } finally {
    await archive.close()
  }
}

async function checkSchema(client: pg.ClientBase, manifest: Manifest): Promise<void> {
  const applied = await appliedMigrations(client)
  const key = (list: Array<{version: string; checksum: string}>) => list.map((m) => `${m.version}:${m.checksum}`).join()
  if (key(applied) === key(manifest.migrations)) return
  const name = (list: Array<{version: string; name: string}>) =>
    list.length ? `${list.at(-1)!.version}_${list.at(-1)!.name} (${list.length} migrations)` : 'no migrations'
  const same = applied.length === manifest.migrations.length ? ', with different contents' : ''
  throw usageError(
    `the archive is from schema ${name(manifest.migrations)}, this database is at ${name(applied)}${same}`,
    'import into a database migrated to the same version (`fluxadmin db status` on both), nothing was written',
  )
}

async function copyPart(
  client: pg.ClientBase,
  archive: OpenedArchive,
  table: PartTable,
  statement: string,
): Promise<number> {
  const {from: copyFrom} = await import('pg-copy-streams')
  const copy = client.query(copyFrom(query(statement).text))
  await pipeline(archive.part(table), copy)
  const expected = archive.manifest.parts.find((p) => p.table === table)!.rows
  if (copy.rowCount !== expected)
    throw usageError(
      `${table}: ${copy.rowCount} rows loaded, the manifest says ${expected}`,
      'the archive is damaged: export the organization again',
    )
  return copy.rowCount
}

/** Users are matched by id and by email in any case; a user whose id and email disagree stops the import. */
async function loadUsers(
  client: pg.ClientBase,
  archive: OpenedArchive,
  loaded: Map<PartTable, number>,
): Promise<Change[]> {
  await client.query(query('lifecycle/create-staged-users').text)
  const staged = await copyPart(client, archive, 'users', 'lifecycle/import-users')
  loaded.set('users', staged)
  const {rows: clashes} = await client.query(query('lifecycle/user-conflicts').text)
  if (clashes.length) {
    const list = clashes.map((c) => `${c.email} (${c.id}) is ${c.existing_email} (${c.existing_id}) here`).join('; ')
    throw conflict(
      `${clashes.length} user${clashes.length === 1 ? '' : 's'} of the archive disagree with this database: ${list}`,
      'the same person must have the same id and email on both sides; nothing was written',
    )
  }
  const matched = (await client.query(query('lifecycle/user-matches').text)).rows.map((u) =>
    change('match', 'user', u.id, u.email),
  )
  const {rowCount: created} = await client.query(query('lifecycle/insert-users').text)
  return [
    ...matched,
    change('import', 'users', null, archive.manifest.organization.slug, 'rows', null, created ?? 0),
    change('match', 'users', null, null, 'rows', null, staged - (created ?? 0)),
  ]
}

/**
 * The organization's rows as this transaction sees them, streamed by the export's own statements,
 * must hash to the manifest's sums. Users are compared by count only: a matched user keeps this
 * database's row, which may differ from the archive's.
 */
async function verifyAgainst(client: pg.ClientBase, manifest: Manifest): Promise<void> {
  const here = await streamParts(client, manifest.organization.id, manifest.with_secrets)
  for (const [i, part] of manifest.parts.entries()) {
    const mine = here[i]
    if (mine.rows !== part.rows || (part.table !== 'users' && mine.sha256 !== part.sha256)) {
      throw conflict(
        `verification failed for ${part.table}: ${mine.rows} rows (sha256 ${mine.sha256.slice(0, 12)}) here, ${part.rows} (${part.sha256.slice(0, 12)}) in the source`,
        'nothing was written on the target; check for writes to the organization during the copy',
      )
    }
  }
}
