import {tmpdir} from 'node:os'
import {serverUser, type OsUser} from '../cluster/control.js'
import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {FluxError, isFluxError, usageError} from '../errors.js'
import {schemaStatus} from '../schema/status.js'
import {checkNotBlank} from '../util/text.js'
import {checkIndexes, checkRowCounts, checkSchema, countSummary, type OpenSession} from './checks.js'
import {countRows} from './create.js'
import {
  checkStanza,
  findPgBackRest,
  lsnValue,
  pgbackrestError,
  runPgBackRest,
  stanzaInfo,
  type PgBackRest,
  type StanzaInfo,
} from './pgbackrest.js'
import {PitrServer, serverBinariesFor} from './pitr-server.js'
import {checkStopPoint, waitForRecovery, type PitrTarget} from './recovery.js'
import {assertRestorePointName, readRestorePoint, restorePointPath, type RestorePointManifest} from './restore-point.js'
import {abortOnSignals, auditVerdict, StepRunner, type AuditOutcome, type StepOutcome, type StepRow} from './steps.js'
import {reapThrowaways} from './throwaway.js'
import {cannotRun} from './tools.js'

export interface PitrOptions {
  stanza: string
  config?: string
  target: PitrTarget
  /** Where `backup restore-point` wrote its manifests. */
  dir?: string
  timeoutMs: number
  jobs: number
  actor?: string
  onProgress?: (message: string) => void
  /** Things done besides the drill (a killed drill's server stopped), for stderr. */
  onNote?: (message: string) => void
}

export interface PitrResult extends AuditOutcome {
  rows: StepRow[]
  ok: boolean
  failed?: StepRow
}

interface Context {
  options: PitrOptions
  pgbackrest: PgBackRest
  info: StanzaInfo
  manifest?: RestorePointManifest
  server: PitrServer
  superuser: string
  database: string
  signal: AbortSignal
  open: OpenSession
}

/**
 * The drill: pgbackrest restore into a private temporary directory, start it on 127.0.0.1 with
 * archiving off, wait for recovery to stop at the target, prove the schema, the counts of the restore
 * point's manifest and the B-tree indexes, and always stop and remove the copy. Audited on the primary.
 */
export async function verifyPitr(session: Session, options: PitrOptions): Promise<PitrResult> {
  const prepared = await prepare(session, options)
  const signals = abortOnSignals()
  const ctx: Context = {...prepared, signal: signals.signal}
  const steps = new StepRunner(signals.signal, options.onProgress)
  try {
    await steps.run(1, 'restore', () => restore(ctx))
    await steps.run(2, 'start', () => start(ctx))
    await steps.run(3, 'recovery', () => recover(ctx))
    await steps.run(4, 'schema', () =>
      ctx.manifest ? checkSchema(ctx.open, ctx.manifest) : contractOfRestoredDatabase(ctx),
    )
    await steps.run(5, 'row_counts', () => (ctx.manifest ? checkRestorePointCounts(ctx) : countOnly(ctx)))
    await steps.run(6, 'amcheck', () => checkIndexes(ctx.open, options.jobs, signals.signal))
  } finally {
    await steps.run(7, 'cleanup', () => ctx.server.cleanup(), true)
    signals.release()
  }
  const {rows, failed} = steps
  const result: PitrResult = {rows, ok: !failed, failed, ...(await audit(session, ctx, steps))}
  if (signals.signal.aborted)
    throw new FluxError(`backup pitr verify interrupted; ${rows.at(-1)!.detail}`, {kind: 'failed', exit: 130})
  return result
}

/** Everything that makes the drill impossible (exit 3) is found before anything is restored. */
async function prepare(session: Session, options: PitrOptions): Promise<Omit<Context, 'signal'>> {
  let manifest: RestorePointManifest | undefined
  checkNotBlank(options.dir, '--dir', 'give the directory of the restore point manifests, or leave --dir out')
  if (options.target.type === 'name') {
    assertRestorePointName(options.target.name)
    if (options.dir !== undefined) {
      manifest = readRestorePoint(options.dir, options.target.name)
      if (!manifest)
        throw cannotRun(
          `no restore point ${options.target.name}: no manifest at ${restorePointPath(options.dir, options.target.name)}`,
          'create one with `fluxadmin backup restore-point NAME --dir DIR`, or check --dir',
        )
    }
  } else if (options.dir !== undefined) {
    throw usageError(
      '--dir goes with --restore-point',
      'the manifest of a restore point is what the counts are compared with',
    )
  }
  checkStanza(options.stanza)
  const runAs = runAsOrCannotRun()
  const pgbackrest: PgBackRest = {path: findPgBackRest(), stanza: options.stanza, config: options.config, runAs}
  const info = await stanzaInfo(pgbackrest)
  if (info.backups.length === 0)
    throw cannotRun(
      `stanza "${options.stanza}" has no backup to restore`,
      `take one: pgbackrest --stanza=${options.stanza} backup`,
    )
  const {
    rows: [{name: superuser}],
  } = await session.client.query(query('backup/bootstrap-superuser').text)
  const database = manifest?.database ?? session.target.database
  for (const note of await reapThrowaways(tmpdir(), 'fluxadmin-pitr-')) options.onNote?.(note)
  const server = new PitrServer(runAs)
  return {
    options,
    pgbackrest,
    info,
    manifest,
    server,
    superuser,
    database,
    open: () => server.session(superuser, database),
  }
}

/** No OS user to run the recovered server as: the drill could not run (exit 3), like a missing pgbackrest. */
function runAsOrCannotRun(): OsUser | undefined {
  try {
    return serverUser()
  } catch (error) {
    if (isFluxError(error)) throw cannotRun(error.message, error.hint)
    throw error
  }
}

function restoreArgs(ctx: Context): string[] {
  const {target} = ctx.options
  const common = [
    `--pg1-path=${ctx.server.dataDir}`,
    '--archive-mode=off',
    `--tablespace-map-all=${ctx.server.dir}/tablespaces`,
    '--log-level-console=info',
    '--log-level-stderr=off',
  ]
  if (target.type === 'latest') return [...common, '--type=default', 'restore']
  const set = target.type === 'name' && ctx.manifest ? backupBefore(ctx.info, ctx.manifest) : undefined
  const value = target.type === 'name' ? target.name : pgTimestamp(target.time)
  return [
    ...common,
    `--type=${target.type}`,
    `--target=${value}`,
    '--target-action=promote',
    ...(set ? [`--set=${set}`] : []),
    'restore',
  ]
}

/** pgBackRest picks a backup by time only: for a restore point, the newest backup that ended before it. */
function backupBefore(info: StanzaInfo, manifest: RestorePointManifest): string {
  const before = info.backups.filter((b) => b.lsn_stop && lsnValue(b.lsn_stop) <= lsnValue(manifest.lsn)).at(-1)
  if (!before)
    throw new Error(
      `no backup of stanza ${info.stanza} ends before restore point ${manifest.name} (LSN ${manifest.lsn})`,
    )
  return before.label
}

/** `2026-12-01 06:58:36.175+00`: a form both pgBackRest and recovery_target_time read. */
const pgTimestamp = (date: Date) => date.toISOString().replace('T', ' ').replace('Z', '+00')

async function restore(ctx: Context): Promise<string> {
  const args = restoreArgs(ctx)
  const out = await runPgBackRest(ctx.pgbackrest, args, ctx.signal)
  if (out.signal) throw new Error(`pgbackrest restore was killed (${out.signal})`)
  if (out.code !== 0) throw new Error(`pgbackrest restore: ${pgbackrestError(out.output)}`)
  const set =
    /restore backup set (\w+-\w+)/.exec(out.output)?.[1] ??
    args.find((a) => a.startsWith('--set='))?.slice(6) ??
    'chosen by pgBackRest'
  return `restored backup ${set} of stanza ${ctx.options.stanza} into ${ctx.server.dataDir} (${args.find((a) => a.startsWith('--type='))!.slice(7)}${args.find((a) => a.startsWith('--target='))?.replace('--target=', ' ') ?? ''})`
}

async function start(ctx: Context): Promise<string> {
  const binDir = await serverBinariesFor(ctx.info.pg_version)
  await ctx.server.start(binDir)
  return `postgres ${ctx.info.pg_version} on 127.0.0.1:${ctx.server.port} (TCP refused; socket in ${ctx.server.dir}), archive_mode=off`
}

async function recover(ctx: Context): Promise<string> {
  const {history, walSegmentSize} = await waitForRecovery(
    ctx.server,
    ctx.superuser,
    ctx.options.timeoutMs,
    ctx.signal,
    ctx.options.onProgress,
  )
  return checkStopPoint(history, walSegmentSize, ctx.options.target, {
    lsn: ctx.manifest?.lsn,
    archiveMax: ctx.info.archive_max,
  })
}

/** Without a manifest: the contract the migrations recorded in the restored database itself (db status). */
async function contractOfRestoredDatabase(ctx: Context): Promise<string> {
  const status = await schemaStatus(await ctx.open())
  const {applied, pending, edited, drift} = status.summary
  if (applied === 0) throw new Error(`no fluxadmin migrations in ${ctx.database}: not a migrated FluxStudio database`)
  if (edited > 0 || drift > 0) {
    const bad = status.rows
      .filter((r) => ['edited', 'missing', 'changed'].includes(r.state))
      .map((r) => `${r.item} ${r.name} ${r.state}`)
    throw new Error(
      `restored schema differs from its recorded contract: ${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ` (+${bad.length - 5} more)` : ''}`,
    )
  }
  return `${applied} migrations applied${pending ? `, ${pending} pending` : ''}; no drift from the contract recorded in ${ctx.database}`
}

/**
 * Counts against the manifest. A difference is not the backup's fault when transactions the manifest's
 * snapshot could not see committed before the restore point (the copy, recovered to exactly that
 * point and not yet written to, knows which did): then the step says so and is skipped.
 */
async function checkRestorePointCounts(ctx: Context): Promise<StepOutcome> {
  try {
    return await checkRowCounts(ctx.open, ctx.manifest!)
  } catch (error) {
    if (!ctx.manifest!.snapshot) throw error
    const {
      rows: [{committed}],
    } = await (await ctx.open()).client.query(query('backup/committed-in-flight').text, [ctx.manifest!.snapshot])
    if (Number(committed) === 0) throw error
    return {
      skipped: `${(error as Error).message}; not comparable: ${committed} transaction(s) committed between the manifest's snapshot and the restore point (create another restore point)`,
    }
  }
}

async function countOnly(ctx: Context): Promise<string> {
  const counts = await inTransaction(await ctx.open(), 'report', (client) => countRows(client))
  return `${countSummary(counts)} (no restore point manifest to compare with)`
}

function audit(session: Session, ctx: Context, steps: StepRunner): Promise<AuditOutcome> {
  const {target} = ctx.options
  const targetText =
    target.type === 'name'
      ? `restore point ${target.name}`
      : target.type === 'time'
        ? `time ${target.time.toISOString()}`
        : 'the end of the archive'
  const failed = steps.failed
  return auditVerdict(session, {
    eventType: 'admin.backup.pitr_verified',
    severity: failed ? 'critical' : 'info',
    description: failed
      ? `PITR drill of stanza ${ctx.options.stanza} to ${targetText} failed at step ${failed.step} (${failed.name}): ${failed.detail}`
      : `PITR drill of stanza ${ctx.options.stanza} to ${targetText} passed`,
    actor: ctx.options.actor,
    metadata: {
      stanza: ctx.options.stanza,
      target:
        target.type === 'name'
          ? {type: 'name', name: target.name}
          : target.type === 'time'
            ? {type: 'time', time: target.time.toISOString()}
            : {type: 'latest'},
      dir: ctx.options.dir ?? null,
      ok: !failed,
      failed_step: failed?.name ?? null,
      steps: steps.summary(),
    },
  })
}
