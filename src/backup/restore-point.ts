import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {recordAudit} from '../audit/record.js'
import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {conflict, usageError} from '../errors.js'
import {takeLock} from '../util/file-lock.js'
import {ensureDirectory} from '../util/files.js'
import {databaseLayout} from '../schema/citus-layout.js'
import {countEverything} from './create.js'
import {writeJsonAtomic, type Manifest} from './manifest.js'

/** Written by `backup restore-point`: where the restore point is in the WAL and what the database held at that moment. */
export interface RestorePointManifest extends Pick<
  Manifest,
  'database' | 'server_version' | 'migrations' | 'schema_objects' | 'tables' | 'organizations'
> {
  fluxadmin_restore_point: 1
  name: string
  /** pg_create_restore_point's LSN: recovery to the name ends exactly here. */
  lsn: string
  timeline: string
  /** The counting transaction's snapshot (pg_current_snapshot), to tell a drill which commits it could not see. */
  snapshot: string
  created_at: string
  /** On a Citus coordinator: the workers (host:port) that got the same restore point (citus_create_restore_point). */
  citus_workers?: string[]
}

export interface CreatedRestorePoint {
  name: string
  lsn: string
  timeline: string
  created_at: Date
  database: string
  manifest: string
  tables: number
  rows: number
}

/** Letters, digits, `.`, `_` and `-` (PostgreSQL allows 63 bytes); the name is also the manifest's file name. */
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}$/

export const restorePointPath = (dir: string, name: string) => join(dir, `${name}.restore-point.json`)

export function assertRestorePointName(name: string): void {
  if (!NAME.test(name))
    throw usageError(
      `invalid restore point name "${name}"`,
      'use letters, digits, ".", "_" and "-" (at most 63), e.g. before-migration-42',
    )
}

export function readRestorePoint(dir: string, name: string): RestorePointManifest | undefined {
  try {
    const manifest = JSON.parse(readFileSync(restorePointPath(dir, name), 'utf8')) as RestorePointManifest
    return manifest.fluxadmin_restore_point === 1 && manifest.name === name ? manifest : undefined
  } catch {
    return undefined
  }
}

/**
 * pg_create_restore_point as the first statement of a repeatable-read transaction, then every count
 * in that transaction's snapshot: the manifest describes the data a recovery to the name must show.
 * (A transaction that commits in the instant between the snapshot and the WAL record is in the
 * recovery but not in the counts: the snapshot is recorded so that the drill can tell.)
 */
export async function createRestorePoint(
  session: Session,
  options: {name: string; dir: string; actor?: string},
): Promise<CreatedRestorePoint> {
  assertRestorePointName(options.name)
  // Before the restore point: one that the manifest cannot follow would be half done.
  await ensureDirectory(options.dir)
  const path = restorePointPath(options.dir, options.name)
  const lock = takeLock(join(options.dir, `.${options.name}.restore-point.lock`))
  if (!('release' in lock))
    throw conflict(
      `another run is creating restore point ${options.name} in ${options.dir}`,
      'pick another name: recovery to a name stops at its first restore point',
    )
  let manifest: RestorePointManifest
  try {
    if (existsSync(path))
      throw conflict(
        `restore point ${options.name} already has a manifest in ${options.dir}`,
        'pick another name: recovery to a name stops at its first restore point',
      )
    // Read before the restore point's transaction, whose first statement must be the restore point.
    const layout = await inTransaction(session, 'read', databaseLayout)
    const citusWorkers = layout.kind === 'citus' && layout.workers > 0 ? layout.workerNodes : undefined
    manifest = await inTransaction(session, 'report', async (client): Promise<RestorePointManifest> => {
      const {
        rows: [point],
      } = await client.query(
        query(citusWorkers ? 'backup/create-citus-restore-point' : 'backup/create-restore-point').text,
        [options.name],
      )
      const content = await countEverything(client)
      return {
        fluxadmin_restore_point: 1,
        name: options.name,
        lsn: point.lsn,
        timeline: point.timeline,
        snapshot: point.snapshot,
        created_at: point.created_at.toISOString(),
        database: point.database,
        server_version: point.server_version,
        migrations: content.migrations,
        schema_objects: content.schemaObjects,
        tables: content.tables,
        organizations: content.organizations,
        ...(citusWorkers && {citus_workers: citusWorkers}),
      }
    })
    await writeJsonAtomic(path, manifest)
  } finally {
    lock.release()
  }
  // READ WRITE: a session that defaults to read-only can create the restore point, so it must be able to audit it.
  await inTransaction(session, 'audit', (client) =>
    recordAudit(client, {
      eventType: 'admin.backup.restore_point_created',
      severity: 'info',
      description: `restore point ${options.name} created`,
      actor: options.actor,
      metadata: {name: options.name, dir: options.dir},
    }),
  )
  return {
    name: options.name,
    lsn: manifest.lsn,
    timeline: manifest.timeline,
    created_at: new Date(manifest.created_at),
    database: manifest.database,
    manifest: path,
    tables: Object.keys(manifest.tables).length,
    rows: Object.values(manifest.tables).reduce((a, b) => a + b, 0),
  }
}
