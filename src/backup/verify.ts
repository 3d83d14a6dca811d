import {existsSync} from 'node:fs'
import type {Session} from '../db/session.js'
import {assertPrimary} from '../db/standby.js'
import {FluxError} from '../errors.js'
import {checkNotBlank} from '../util/text.js'
import {
  checkIndexes as checkBtreeIndexes,
  checkRowCounts as checkManifestCounts,
  checkSchema as checkManifestSchema,
} from './checks.js'
import {digest, dumpPathOf, readManifest, verifyPath, writeJsonAtomic, type Manifest} from './manifest.js'
import {ScratchDatabase, scratchName} from './scratch.js'
import {abortOnSignals, auditVerdict, StepRunner, type AuditOutcome, type StepOutcome, type StepRow} from './steps.js'
import {cannotRun, findTool, libpqEnv, toolError, type PgTool} from './tools.js'

export type {StepRow} from './steps.js'

export interface VerifyOptions {
  file: string
  targetUrl?: string
  scratch?: boolean
  jobs: number
  scratchName?: string
  actor?: string
  onProgress?: (message: string) => void
  /** Things done besides the verification (stale scratch databases dropped), for stderr. */
  onNote?: (message: string) => void
}

export interface VerifyResult extends AuditOutcome {
  rows: StepRow[]
  ok: boolean
  failed?: StepRow
}

interface Context {
  dump: string
  manifest?: Manifest
  pgRestore: PgTool
  scratch: ScratchDatabase
  jobs: number
  signal: AbortSignal
}

const RESTORE_MAINTENANCE_WORK_MEM = '256MB'

const STEPS: Array<[string, (ctx: Context) => Promise<StepOutcome>]> = [
  ['checksum', checkChecksum],
  ['archive', checkArchive],
  ['restore', restore],
  ['schema', checkSchema],
  ['row_counts', checkRowCounts],
  ['amcheck', checkIndexes],
]

/**
 * The seven steps: checksum, archive listing, restore into a scratch database, schema contract,
 * row counts against the manifest, amcheck, and dropping the scratch database (always, also on
 * SIGINT). Audited in security_events of the database the session is connected to.
 */
export async function verifyBackup(session: Session, options: VerifyOptions): Promise<VerifyResult> {
  // Its audit row is a change: on a standby, refuse before restoring anything.
  assertPrimary(session)
  // Empty (an unset shell variable) must not mean "restore on the production server".
  checkNotBlank(
    options.targetUrl,
    '--target-url',
    'give the URL of the server to restore on, or leave --target-url out to restore beside the source',
  )
  const dump = dumpPathOf(options.file)
  if (!existsSync(dump))
    throw cannotRun(
      `no backup at ${dump}`,
      'pass a file written by `fluxadmin backup create` (see `fluxadmin backup list --dir DIR`)',
    )
  const pgRestore = await findTool('pg_restore')
  const scratch = new ScratchDatabase(session, options.scratchName ?? scratchName(), {
    targetUrl: options.targetUrl,
    cluster: options.scratch,
    onNote: options.onNote,
  })
  const signals = abortOnSignals()
  const ctx: Context = {
    dump,
    manifest: readManifest(dump),
    pgRestore,
    scratch,
    jobs: Math.max(1, options.jobs),
    signal: signals.signal,
  }
  const steps = new StepRunner(signals.signal, options.onProgress)
  try {
    for (const [index, [name, fn]] of STEPS.entries()) await steps.run(index + 1, name, () => fn(ctx))
  } finally {
    await steps.run(7, 'cleanup', () => scratch.cleanup(), true)
    signals.release()
  }
  const {rows, failed, refusal} = steps
  // Verification could not run (the scratch name is taken): no verdict on the backup, so none is audited or recorded.
  if (refusal) throw refusal
  const result: VerifyResult = {rows, ok: !failed, failed, ...(await audit(session, ctx, rows, failed, options.actor))}
  await record(ctx, result)
  if (signals.signal.aborted)
    throw new FluxError(`backup verify interrupted; ${rows.at(-1)!.detail}`, {kind: 'failed', exit: 130})
  return result
}

async function checkChecksum(ctx: Context): Promise<string> {
  if (!ctx.manifest) throw new Error(`no readable manifest at ${ctx.dump}.manifest.json`)
  const {sha256, size_bytes} = await digest(ctx.dump)
  if (size_bytes !== ctx.manifest.size_bytes)
    throw new Error(`size is ${size_bytes} bytes, the manifest says ${ctx.manifest.size_bytes}`)
  if (sha256 !== ctx.manifest.sha256)
    throw new Error(`sha256 is ${sha256.slice(0, 12)}..., the manifest says ${ctx.manifest.sha256.slice(0, 12)}...`)
  return `sha256 ${sha256.slice(0, 12)}... matches, ${size_bytes} bytes`
}

async function checkArchive(ctx: Context): Promise<string> {
  const dumpMajor = Number(/^\d+/.exec(ctx.manifest?.pg_dump_version ?? '')?.[0] ?? 0)
  if (dumpMajor > ctx.pgRestore.major)
    throw new Error(
      `pg_restore ${ctx.pgRestore.version} cannot read an archive written by pg_dump ${ctx.manifest!.pg_dump_version}; set FLUXADMIN_PG_CLIENT_BIN to newer client tools`,
    )
  const {$} = await import('zx')
  const out = await $({quiet: true, nothrow: true, signal: ctx.signal})`${ctx.pgRestore.path} --list ${ctx.dump}`
  if (out.exitCode !== 0) throw new Error(`pg_restore --list: ${toolError(out.stderr)}`)
  const entries = out.stdout.split('\n').filter((l) => /^\d+;/.test(l))
  const data = entries.filter((l) => / TABLE DATA /.test(l)).length
  return `${entries.length} archive entries, ${data} with table data (pg_restore ${ctx.pgRestore.version})`
}

async function restore(ctx: Context): Promise<string> {
  const where = await ctx.scratch.create()
  const {$} = await import('zx')
  const env = await libpqEnv(ctx.scratch.target!, ctx.scratch.name, 'fluxadmin_verify_restore')
  // A throwaway database: no need to wait for WAL flushes, and index builds may use more memory.
  env.PGOPTIONS = `-c synchronous_commit=off -c maintenance_work_mem=${RESTORE_MAINTENANCE_WORK_MEM}`
  const jobs = ctx.jobs > 1 ? ['-j', String(ctx.jobs)] : []
  const out = await $({
    env,
    quiet: true,
    nothrow: true,
    signal: ctx.signal,
  })`${ctx.pgRestore.path} --exit-on-error --no-owner --no-acl ${jobs} -d ${ctx.scratch.name} ${ctx.dump}`
  if (out.exitCode !== 0) throw new Error(`pg_restore into ${ctx.scratch.name}: ${toolError(out.stderr)}`)
  return `restored into ${ctx.scratch.name} (${where}) with ${ctx.jobs} job${ctx.jobs === 1 ? '' : 's'}`
}

function checkSchema(ctx: Context) {
  return checkManifestSchema(() => ctx.scratch.session(), ctx.manifest!)
}

function checkRowCounts(ctx: Context) {
  return checkManifestCounts(() => ctx.scratch.session(), ctx.manifest!)
}

function checkIndexes(ctx: Context) {
  return checkBtreeIndexes(() => ctx.scratch.session(), ctx.jobs, ctx.signal)
}

function audit(
  session: Session,
  ctx: Context,
  rows: StepRow[],
  failed: StepRow | undefined,
  actor?: string,
): Promise<AuditOutcome> {
  return auditVerdict(session, {
    eventType: 'admin.backup.verified',
    severity: failed ? 'critical' : 'info',
    description: failed
      ? `backup ${ctx.dump} failed verification at step ${failed.step} (${failed.name}): ${failed.detail}`
      : `backup ${ctx.dump} verified`,
    actor,
    metadata: {
      file: ctx.dump,
      sha256: ctx.manifest?.sha256 ?? null,
      database: ctx.manifest?.database ?? null,
      scratch: ctx.scratch.mode,
      ok: !failed,
      failed_step: failed?.name ?? null,
      steps: rows.map((r) => ({name: r.name, status: r.status, duration_ms: r.duration_ms})),
    },
  })
}

async function record(ctx: Context, result: VerifyResult): Promise<void> {
  if (!ctx.manifest) return
  try {
    await writeJsonAtomic(verifyPath(ctx.dump), {
      verified_at: new Date().toISOString(),
      ok: result.ok,
      failed_step: result.failed?.name ?? null,
      reason: result.failed?.detail ?? null,
      steps: result.rows.map(({step, name, status, duration_ms}) => ({step, name, status, duration_ms})),
    })
  } catch {
    // A read-only backup directory: the result is still printed and audited.
  }
}
