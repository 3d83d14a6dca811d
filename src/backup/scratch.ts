import {randomBytes} from 'node:crypto'
import {chmodSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {findServerBinaries} from '../cluster/binaries.js'
import {
  clusterUrl,
  freePort,
  initCluster,
  serverUser,
  startCluster,
  stopCluster,
  type ClusterSpec,
} from '../cluster/control.js'
import {query} from '../db/queries.js'
import {describeTarget, resolveTarget, type Target} from '../db/resolve.js'
import {openSession, type Session} from '../db/session.js'
import {usageError} from '../errors.js'
import {NO_LIMITS, ScratchSessions} from './scratch-sessions.js'
import {markThrowaway, reapThrowaways} from './throwaway.js'
import {cannotRun} from './tools.js'

export type ScratchMode = 'same-server' | 'target-url' | 'cluster'

/** `fluxadmin_verify_20261124221736_3f9a1c`: unique, and easy to spot if anything ever survives. */
export function scratchName(now = new Date()): string {
  return `fluxadmin_verify_${now.toISOString().replace(/\D/g, '').slice(0, 14)}_${randomBytes(3).toString('hex')}`
}

/**
 * The throwaway database a backup is restored into: on the source's server, on --target-url's, or in
 * a cluster started for the occasion. cleanup() drops only what create() made, whatever happened.
 */
export class ScratchDatabase {
  readonly mode: ScratchMode
  target?: Target
  private admin?: Session
  private ownsAdmin = false
  private created = false
  private cluster?: {spec: ClusterSpec; base: string}
  private sessions = new ScratchSessions()

  constructor(
    private source: Session,
    readonly name: string,
    private options: {targetUrl?: string; cluster?: boolean; onNote?: (message: string) => void},
  ) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name))
      throw usageError(`invalid scratch database name "${name}"`, 'use lower-case letters, digits and _ (at most 63)')
    this.mode = options.cluster ? 'cluster' : options.targetUrl !== undefined ? 'target-url' : 'same-server'
  }

  /** Where the scratch database lives, for messages. */
  describe(): string {
    return this.target ? describeTarget(this.target) : this.name
  }

  async create(): Promise<string> {
    if (this.mode === 'cluster') {
      const bins = await findServerBinaries()
      for (const note of await reapThrowaways(tmpdir(), 'fluxadmin-verify-')) this.options.onNote?.(note)
      const base = mkdtempSync(join(tmpdir(), 'fluxadmin-verify-'))
      markThrowaway(base)
      chmodSync(base, 0o755)
      const spec: ClusterSpec = {
        dir: join(base, 'cluster'),
        port: await freePort(),
        superuser: 'postgres',
        password: randomBytes(18).toString('base64url'),
        binDir: bins.binDir,
        runAs: serverUser(),
        settings: {fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off'},
      }
      this.cluster = {spec, base}
      await initCluster(spec)
      await startCluster(spec)
      this.admin = await openSession(resolveTarget(clusterUrl(spec, 'postgres')), NO_LIMITS)
      this.ownsAdmin = true
    } else if (this.mode === 'target-url') {
      this.admin = await openSession(resolveTarget(this.options.targetUrl), NO_LIMITS)
      this.ownsAdmin = true
    } else {
      this.admin = this.source
    }
    const base = this.admin.target
    this.target = {...base, database: this.name, config: {...base.config, database: this.name}}
    if (this.mode !== 'cluster') await this.dropStale()
    const {
      rows: [{sql}],
    } = await this.admin.client.query(query('db/create-database-statement').text, [this.name, 'template0'])
    try {
      await this.admin.client.query(sql)
      // The creating backend lives as long as this run: a later run that no longer finds it drops the database.
      await this.admin.client.query(
        (await this.admin.client.query(query('backup/scratch-owner-statement').text, [this.name])).rows[0].sql,
      )
    } catch (error) {
      if ((error as {code?: string}).code === '42P04') {
        throw cannotRun(
          `scratch database ${this.name} already exists on ${base.host}:${base.port}`,
          'another verify may be running; it was left alone, and nothing was verified',
        )
      }
      // No verdict on the backup: the role (42501) or a read-only session (25006) cannot restore it here.
      if (['42501', '25006'].includes((error as {code?: string}).code ?? '')) {
        throw cannotRun(
          `${base.user} cannot create the scratch database on ${base.host}:${base.port}: ${(error as Error).message}`,
          'connect as a role with CREATEDB in a read-write session, or restore elsewhere with --scratch or --target-url; nothing was verified or recorded',
        )
      }
      throw error
    }
    this.created = true
    return this.mode === 'cluster'
      ? `a throwaway cluster on 127.0.0.1:${this.cluster!.spec.port}`
      : `${base.host}:${base.port}`
  }

  /** Scratch databases of killed runs (kill -9, a lost machine): drops them, with any pg_restore left connected. */
  private async dropStale(): Promise<void> {
    const {rows} = await this.admin!.client.query<{name: string; owner_pid: number}>(
      query('backup/stale-scratch-databases').text,
    )
    for (const stale of rows) {
      const {
        rows: [{sql}],
      } = await this.admin!.client.query(query('db/drop-database-statement').text, [stale.name])
      const dropped = await this.admin!.client.query(sql).then(
        () => true,
        (error: {code?: string}) => {
          // Another role's: left for a run that may drop it.
          if (error.code === '42501') return false
          throw error
        },
      )
      if (dropped)
        this.options.onNote?.(
          `dropped scratch database ${stale.name} left by a verify run that is gone (server backend ${stale.owner_pid})`,
        )
    }
  }

  /** A session on the scratch database, closed by cleanup(). */
  async session(): Promise<Session> {
    return this.sessions.open(this.target!)
  }

  /** Drops the database (and stops the cluster) if this run made it; returns what it did. */
  async cleanup(): Promise<string> {
    await this.sessions.closeAll()
    const done: string[] = []
    try {
      if (this.created && this.admin) {
        const {
          rows: [{sql}],
        } = await this.admin.client.query(query('db/drop-database-statement').text, [this.name])
        await this.admin.client.query(sql)
        this.created = false
        done.push(`dropped ${this.name}`)
      }
    } finally {
      if (this.ownsAdmin) await this.admin?.close()
      if (this.cluster) {
        await stopCluster(this.cluster.spec, 'immediate')
        rmSync(this.cluster.base, {recursive: true, force: true})
        this.cluster = undefined
        done.push('stopped the throwaway cluster')
      }
    }
    return done.length > 0 ? done.join(', ') : 'nothing to drop'
  }
}
