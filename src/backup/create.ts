import {chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import type pg from 'pg'
import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {conflict} from '../errors.js'
import {appliedMigrations, type SchemaObject} from '../schema/migrate.js'
import {renameDurably} from '../util/durable.js'
import {takeLock} from '../util/file-lock.js'
import {ensureDirectory, fileError, removeStaleTemps} from '../util/files.js'
import {cleanupOnSignal} from '../util/signals.js'
import {digest, manifestPath, writeJsonAtomic, type Manifest} from './manifest.js'
import {assertCanDump, dumpFailure, findTool, libpqEnv, type PgTool} from './tools.js'

export interface CreateOptions {
  dir: string
  /** Directory format with this many parallel pg_dump jobs; custom format (-Fc) when absent. */
  jobs?: number
  onProgress?: (message: string) => void
  now?: Date
}

export interface CreatedBackup {
  file: string
  manifest: string
  format: Manifest['format']
  database: string
  size_bytes: number
  sha256: string
  tables: number
  rows: number
  duration_ms: number
}

/** `20261124T221736Z` */
const fileStamp = (date: Date) =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')

/**
 * pg_dump in the snapshot of a repeatable-read transaction that also counts every table (and every
 * organization's rows), so the manifest describes exactly what the dump holds. The dump appears
 * under its final name only when complete, then its manifest.
 */
export async function createBackup(session: Session, options: CreateOptions): Promise<CreatedBackup> {
  try {
    return await lockedBackup(session, options)
  } catch (error) {
    // ENOSPC and the like, from the lock, the partial dump, its digest or the manifest: one line, exit 4.
    throw fileError(error, options.dir)
  }
}

async function lockedBackup(session: Session, options: CreateOptions): Promise<CreatedBackup> {
  await ensureDirectory(options.dir)
  await removeStaleTemps(options.dir)
  removeStalePartials(options.dir)
  const pgDump = await findTool('pg_dump')
  const started = options.now ?? new Date()
  const format: Manifest['format'] = options.jobs ? 'directory' : 'custom'
  const name = `${session.target.database}_${fileStamp(started)}.${format === 'custom' ? 'dump' : 'dir'}`
  // Two backups started in the same second would share the name and its partial dump.
  const lock = takeLock(join(options.dir, `.${name}.lock`))
  if (!('release' in lock))
    throw conflict(
      `another backup is writing ${join(options.dir, name)}${lock.holder ? ` (pid ${lock.holder})` : ''}`,
      'wait a second and retry: backup names carry the UTC time to the second',
    )
  try {
    return await dumpAs(session, options, {pgDump, started, format, name})
  } finally {
    lock.release()
  }
}

/**
 * Partial dumps of killed runs (SIGKILL, a crash: no handler ran) can be gigabytes: a partial whose
 * name no live process holds is removed, with its lock. A running backup holds its lock throughout.
 */
function removeStalePartials(dir: string): void {
  for (const entry of readdirSync(dir)) {
    const m = /^\.(.+)\.(partial|lock)$/.exec(entry)
    if (!m) continue
    const lock = takeLock(join(dir, `.${m[1]}.lock`))
    if (!('release' in lock)) continue
    rmSync(join(dir, `.${m[1]}.partial`), {recursive: true, force: true})
    lock.release()
  }
}

/** The backup under `name`, with the lock on it held. */
async function dumpAs(
  session: Session,
  options: CreateOptions,
  plan: {pgDump: PgTool; started: Date; format: Manifest['format']; name: string},
): Promise<CreatedBackup> {
  const {pgDump, started, format, name} = plan
  const progress = options.onProgress ?? (() => {})
  const final = join(options.dir, name)
  if (existsSync(final))
    throw conflict(`${final} already exists`, 'wait a second and retry: backup names carry the UTC time to the second')
  const partial = join(options.dir, `.${name}.partial`)
  rmSync(partial, {recursive: true, force: true})
  // A dump holds every password hash and all personal data: private from its first byte, as its
  // manifest (pg_dump -f keeps the mode of a file or an empty directory that is already there).
  if (format === 'custom') writeFileSync(partial, '', {mode: 0o600})
  else mkdirSync(partial, {mode: 0o700})

  const content = await inTransaction(session, 'report', async (client) => {
    await client.query(query('backup/keep-snapshot-open').text)
    const {
      rows: [info],
    } = await client.query(query('db/server-info').text)
    assertCanDump(pgDump, info.server_version, info.server_version_num)
    const {
      rows: [{snapshot}],
    } = await client.query(query('backup/export-snapshot').text)
    progress(
      `pg_dump ${pgDump.version} of ${info.database} (${format}${options.jobs ? `, ${options.jobs} jobs` : ''}) in snapshot ${snapshot}`,
    )
    const {$} = await import('zx')
    const env = await libpqEnv(session.target, info.database, 'fluxadmin_backup')
    const formatArgs = options.jobs ? ['-Fd', '-j', String(options.jobs)] : ['-Fc']
    const dump = $({env, quiet: true, nothrow: true})`${pgDump.path} --snapshot=${snapshot} ${formatArgs} -f ${partial}`
    const stopDump = async () => {
      try {
        await dump.kill()
      } catch {
        // It has ended already.
      }
      await dump
      rmSync(partial, {recursive: true, force: true})
    }
    // Interrupted: pg_dump (and its -j workers) stop and the partial dump goes, then BaseCommand
    // cancels the session and exits 130/143; this flow only waits for that.
    let interrupted = false
    const release = cleanupOnSignal(() => {
      interrupted = true
      return stopDump()
    })
    // While pg_dump reads, count the same snapshot on our connection.
    let counts: Awaited<ReturnType<typeof countEverything>>
    let result: Awaited<typeof dump>
    try {
      counts = await countEverything(client)
      progress(`counted ${Object.keys(counts.tables).length} tables; waiting for pg_dump`)
      result = await dump
    } catch (error) {
      await stopDump()
      throw error
    } finally {
      release()
    }
    if (interrupted) await new Promise(() => {})
    if (result.exitCode !== 0) {
      rmSync(partial, {recursive: true, force: true})
      throw dumpFailure(result.stderr, options.dir)
    }
    return {info, ...counts}
  })

  progress('computing sha256')
  const {sha256, size_bytes} = await finishDump(partial, final, format)
  const duration = Date.now() - started.getTime()
  const manifest: Manifest = {
    fluxadmin_manifest: 1,
    file: name,
    format,
    sha256,
    size_bytes,
    created_at: started.toISOString(),
    duration_ms: duration,
    database: content.info.database,
    server_version: content.info.server_version,
    pg_dump_version: pgDump.version,
    migrations: content.migrations,
    schema_objects: content.schemaObjects,
    tables: content.tables,
    organizations: content.organizations,
  }
  await writeJsonAtomic(manifestPath(final), manifest).catch((error) => {
    // A dump without its manifest cannot be verified: no backup rather than half of one.
    rmSync(final, {recursive: true, force: true})
    throw error
  })
  return {
    file: final,
    manifest: manifestPath(final),
    format,
    database: manifest.database,
    size_bytes,
    sha256,
    tables: Object.keys(manifest.tables).length,
    rows: Object.values(manifest.tables).reduce((a, b) => a + b, 0),
    duration_ms: duration,
  }
}

/** Digests the complete partial dump and renames it onto its name; on any failure the partial goes (it may be gigabytes). */
async function finishDump(
  partial: string,
  final: string,
  format: Manifest['format'],
): Promise<{sha256: string; size_bytes: number}> {
  try {
    if (format === 'directory') for (const file of readdirSync(partial)) chmodSync(join(partial, file), 0o600)
    const digested = await digest(partial)
    await renameDurably(partial, final)
    return digested
  } catch (error) {
    rmSync(partial, {recursive: true, force: true})
    throw error
  }
}

export interface Counts {
  tables: Record<string, number>
  organizations: Record<string, Record<string, number>>
}

/** Exact row counts of every table and, for tenant tables, per organization (in the caller's transaction). */
export async function countRows(client: pg.ClientBase): Promise<Counts> {
  const tables: Counts['tables'] = {}
  // No table left out: the dump's own snapshot waits for any lock anyway.
  for (const row of (await client.query(query('db/table-row-counts').text, [null])).rows)
    tables[row.table_name] = Number(row.row_count)
  const organizations: Counts['organizations'] = {}
  for (const row of (await client.query(query('backup/organization-row-counts').text)).rows) {
    ;(organizations[row.table_name] ??= {})[row.organization_id ?? 'none'] = Number(row.row_count)
  }
  return {tables, organizations}
}

/** Migrations, the recorded schema contract and every count, in the caller's transaction (its snapshot). */
export async function countEverything(client: pg.ClientBase) {
  const migrations = (await appliedMigrations(client)).map(({version, name, checksum}) => ({version, name, checksum}))
  const schemaObjects =
    migrations.length > 0 ? (await client.query<SchemaObject>(query('db/recorded-schema-objects').text)).rows : []
  return {migrations, schemaObjects, ...(await countRows(client))}
}
