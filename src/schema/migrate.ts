import type pg from 'pg'
import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {FluxError} from '../errors.js'
import {bootstrapSql, migrationFiles, type MigrationFile} from './files.js'

export interface AppliedMigration {
  version: string
  name: string
  checksum: string
  applied_at: Date
  applied_by: string
}

export interface MigrateResult {
  version: string
  name: string
  action: 'applied' | 'already applied' | 'would apply'
}

/**
 * Applies pending migrations in one transaction, under an advisory lock; refuses edited files. The lock
 * comes before anything is created: a second run waits (onWait says so) and then finds them applied.
 */
export async function migrate(
  session: Session,
  options: {dryRun?: boolean; onWait?: () => void} = {},
): Promise<MigrateResult[]> {
  return inTransaction(session, 'write', async (client, tx) => {
    await client.query(query('db/use-public-schema').text)
    await lockSchema(client, session, options.onWait)
    await client.query(bootstrapSql())
    const applied = await appliedMigrations(client)
    const files = migrationFiles()
    assertNoneEdited(files, applied)
    const done = new Map(applied.map((m) => [m.version, m]))
    const results: MigrateResult[] = []
    for (const file of files) {
      if (done.has(file.version)) {
        results.push({version: file.version, name: file.name, action: 'already applied'})
        continue
      }
      await client.query(file.sql)
      await client.query(query('db/record-migration').text, [file.version, file.name, file.checksum])
      results.push({version: file.version, name: file.name, action: options.dryRun ? 'would apply' : 'applied'})
    }
    await recordSchemaObjects(client)
    if (options.dryRun) tx.rollbackOnly()
    return results
  })
}

/**
 * Takes the schema's advisory lock for the rest of the transaction (db migrate and db distribute hold it):
 * when another run holds it, onWait says so and this waits up to the statement timeout, not lock_timeout.
 */
export async function lockSchema(client: pg.ClientBase, session: Session, onWait?: () => void): Promise<void> {
  if ((await client.query(query('db/try-lock-migrations').text)).rows[0].locked) return
  onWait?.()
  await client.query(query('db/set-lock-timeout').text, [String(Math.trunc(session.settings.statementTimeoutMs))])
  await client.query(query('db/lock-migrations').text)
  await client.query(query('db/set-lock-timeout').text, [String(Math.trunc(session.settings.lockTimeoutMs))])
}

export async function appliedMigrations(client: pg.ClientBase): Promise<AppliedMigration[]> {
  const {
    rows: [{exists}],
  } = await client.query(query('db/migrations-table-exists').text)
  if (!exists) return []
  return (await client.query<AppliedMigration>(query('db/applied-migrations').text)).rows
}

function assertNoneEdited(files: MigrationFile[], applied: AppliedMigration[]) {
  const byVersion = new Map(files.map((f) => [f.version, f]))
  const edited = applied.filter((m) => byVersion.has(m.version) && byVersion.get(m.version)!.checksum !== m.checksum)
  if (edited.length > 0) {
    throw new FluxError(
      `applied migration${edited.length > 1 ? 's' : ''} edited since: ${edited.map((m) => `${m.version}_${m.name}`).join(', ')}`,
      {
        kind: 'conflict',
        hint: 'never edit an applied migration: restore the file and add a new migration for the change',
      },
    )
  }
}

export interface SchemaObject {
  kind: string
  name: string
  definition: string
}

export async function liveSchemaObjects(client: pg.ClientBase): Promise<SchemaObject[]> {
  return (await client.query<SchemaObject>(query('db/schema-objects').text)).rows
}

async function recordSchemaObjects(client: pg.ClientBase) {
  const objects = await liveSchemaObjects(client)
  await client.query(query('db/clear-schema-objects').text)
  await client.query(query('db/insert-schema-objects').text, [
    objects.map((o) => o.kind),
    objects.map((o) => o.name),
    objects.map((o) => o.definition),
  ])
}
