import {existsSync} from 'node:fs'
import {performance} from 'node:perf_hooks'
import {recordAudit} from '../audit/record.js'
import {mapDbError} from '../db/errors.js'
import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {FluxError, isFluxError} from '../errors.js'
import {appliedMigrations, liveSchemaObjects, type SchemaObject} from '../schema/migrate.js'
import {diffObjects} from '../schema/status.js'
import {countRows, type Counts} from './create.js'
import {digest, dumpPathOf, readManifest, verifyPath, writeJsonAtomic, type Manifest} from './manifest.js'
import {ScratchDatabase, scratchName} from './scratch.js'
import {cannotRun, COULD_NOT_RUN, findTool, libpqEnv, toolError, type PgTool} from './tools.js'

export interface StepRow {
  step: number
  name: string
  status: 'pass' | 'fail' | 'skipped'
  duration_ms: number
  detail: string
}

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

export interface VerifyResult {
  rows: StepRow[]
  ok: boolean
  failed?: StepRow
  /** Where the result was audited, or why it was not. */
  audit: string
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

const STEPS: Array<[string, (ctx: Context) => Promise<string | {skipped: string}>]> = [
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
  const dump = dumpPathOf(options.file)
  if (!existsSync(dump)) throw cannotRun(`no backup at ${dump}`, 'pass a file written by `fluxadmin backup create` (see `fluxadmin backup list --dir DIR`)')
  const pgRestore = await findTool('pg_restore')
  const scratch = new ScratchDatabase(session, options.scratchName ?? scratchName(), {targetUrl: options.targetUrl, cluster: options.scratch, onNote: options.onNote})
  const controller = new AbortController()
  const onSignal = () => controller.abort()
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  const ctx: Context = {dump, manifest: readManifest(dump), pgRestore, scratch, jobs: Math.max(1, options.jobs), signal: controller.signal}
  const rows: StepRow[] = []
  let failed: StepRow | undefined
  // Verification could not run (the scratch name is taken): no verdict on the backup, so none is audited or recorded.
  let refusal: Error | undefined
  const progress = options.onProgress ?? (() => {})
  const run = async (step: number, name: string, fn: () => Promise<string | {skipped: string}>, always = false) => {
    if (!always && (failed || controller.signal.aborted)) {
      rows.push({step, name, status: 'skipped', duration_ms: 0, detail: failed ? `not run: step ${failed.step} (${failed.name}) failed` : 'not run: interrupted'})
      return
    }
    progress(`step ${step}: ${name}`)
    const started = performance.now()
    let row: StepRow
    try {
      const out = await fn()
      row = typeof out === 'string' ? {step, name, status: 'pass', duration_ms: 0, detail: out} : {step, name, status: 'skipped', duration_ms: 0, detail: out.skipped}
    } catch (error) {
      if (isFluxError(error) && error.exitCode === COULD_NOT_RUN) refusal ??= error
      const reason = controller.signal.aborted ? 'interrupted (SIGINT/SIGTERM)' : oneLine((mapDbError(error) as Error).message)
      row = {step, name, status: 'fail', duration_ms: 0, detail: reason}
      failed ??= row
    }
    row.duration_ms = Math.round(performance.now() - started)
    rows.push(row)
  }
  try {
    for (const [index, [name, fn]] of STEPS.entries()) await run(index + 1, name, () => fn(ctx))
  } finally {
    await run(7, 'cleanup', () => scratch.cleanup(), true)
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
  if (refusal) throw refusal
  const result: VerifyResult = {rows, ok: !failed, failed, audit: await audit(session, ctx, rows, failed, options.actor)}
  record(ctx, result)
  if (controller.signal.aborted) throw new FluxError(`backup verify interrupted; ${rows.at(-1)!.detail}`, {kind: 'failed', exit: 130})
  return result
}

async function checkChecksum(ctx: Context): Promise<string> {
  if (!ctx.manifest) throw new Error(`no readable manifest at ${ctx.dump}.manifest.json`)
  const {sha256, size_bytes} = await digest(ctx.dump)
  if (size_bytes !== ctx.manifest.size_bytes) throw new Error(`size is ${size_bytes} bytes, the manifest says ${ctx.manifest.size_bytes}`)
  if (sha256 !== ctx.manifest.sha256) throw new Error(`sha256 is ${sha256.slice(0, 12)}..., the manifest says ${ctx.manifest.sha256.slice(0, 12)}...`)
  return `sha256 ${sha256.slice(0, 12)}... matches, ${size_bytes} bytes`
}

async function checkArchive(ctx: Context): Promise<string> {
  const dumpMajor = Number(/^\d+/.exec(ctx.manifest?.pg_dump_version ?? '')?.[0] ?? 0)
  if (dumpMajor > ctx.pgRestore.major) throw new Error(`pg_restore ${ctx.pgRestore.version} cannot read an archive written by pg_dump ${ctx.manifest!.pg_dump_version}; set FLUXADMIN_PG_CLIENT_BIN to newer client tools`)
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
  const out = await $({env, quiet: true, nothrow: true, signal: ctx.signal})`${ctx.pgRestore.path} --exit-on-error --no-owner --no-acl ${jobs} -d ${ctx.scratch.name} ${ctx.dump}`
  if (out.exitCode !== 0) throw new Error(`pg_restore into ${ctx.scratch.name}: ${toolError(out.stderr)}`)
  return `restored into ${ctx.scratch.name} (${where}) with ${ctx.jobs} job${ctx.jobs === 1 ? '' : 's'}`
}

async function checkSchema(ctx: Context): Promise<string> {
  const expected = ctx.manifest!.schema_objects ?? []
  if (expected.length === 0) throw new Error('the manifest records no schema objects: the source was not migrated by fluxadmin')
  const s = await ctx.scratch.session()
  const [live, migrations] = await inTransaction(s, 'read', async (client) => [await liveSchemaObjects(client), await appliedMigrations(client)] as const)
  const problems = diffObjects(expected.map(normalized), live.map(normalized)).filter((r) => r.state !== 'extra')
  if (problems.length > 0) {
    const rank = (item: string) => ['table', 'column', 'index', 'constraint', 'trigger', 'function'].indexOf(item)
    problems.sort((a, b) => rank(a.item) - rank(b.item) || a.name.localeCompare(b.name))
    const missing = problems.filter((r) => r.state === 'missing')
    const changed = problems.filter((r) => r.state === 'changed')
    const parts = [
      missing.length ? `${missing.length} missing: ${names(missing.map((r) => `${r.item} ${r.name}`))}` : '',
      changed.length ? `${changed.length} changed: ${names(changed.map((r) => `${r.item} ${r.name}`))}` : '',
    ].filter(Boolean)
    throw new Error(`restored schema differs from the contract: ${parts.join('; ')}`)
  }
  const versions = (list: Array<{version: string}>) => list.map((m) => m.version).join(',')
  if (versions(migrations) !== versions(ctx.manifest!.migrations ?? [])) {
    throw new Error(`restored migrations (${versions(migrations) || 'none'}) differ from the manifest's (${versions(ctx.manifest!.migrations ?? [])})`)
  }
  return `${migrations.length} migrations; ${expected.length} tables, columns, indexes, constraints, triggers and functions match`
}

async function checkRowCounts(ctx: Context): Promise<string> {
  const s = await ctx.scratch.session()
  const got = await inTransaction(s, 'report', (client) => countRows(client))
  const diffs = compareCounts(ctx.manifest!, got)
  if (diffs.length > 0) {
    const slugs = await inTransaction(s, 'read', async (client) => {
      const ids = diffs.flatMap((d) => d.organization && d.organization !== 'none' ? [d.organization] : [])
      return new Map((await client.query(query('backup/organization-slugs').text, [ids])).rows.map((r) => [r.id, r.slug]))
    }).catch(() => new Map<string, string>())
    const text = diffs.map((d) => d.organization ? `${d.table} of organization ${slugs.get(d.organization) ?? d.organization}: ${d.got} rows, manifest ${d.expected}` : `${d.table}: ${d.got} rows, manifest ${d.expected}`)
    throw new Error(`row counts differ from the manifest: ${names(text)}`)
  }
  const rows = Object.values(got.tables).reduce((a, b) => a + b, 0)
  const orgs = new Set(Object.values(got.organizations).flatMap((m) => Object.keys(m))).size
  return `${Object.keys(got.tables).length} tables, ${rows} rows and ${orgs} organizations' counts match`
}

/**
 * A restore re-parses expressions: `(ARRAY['a'::varchar])::text[]` comes back as
 * `ARRAY[('a'::varchar)::text]`. Casts, parentheses and spaces are left out of the comparison.
 */
export function normalizeDefinition(definition: string): string {
  return definition
    .replace(/::(?:"[^"]+"|character varying|timestamp with(?:out)? time zone|time with(?:out)? time zone|double precision|bit varying|[a-z_][a-z0-9_.]*)(?:\[\])?/g, '')
    .replace(/[()\s]/g, '')
}

const normalized = (o: SchemaObject): SchemaObject => ({...o, definition: normalizeDefinition(o.definition)})

export interface CountDiff {
  table: string
  organization?: string
  expected: number | 'missing'
  got: number | 'missing'
}

/** Tables first, then organizations within tenant tables; absent organizations count 0. */
export function compareCounts(manifest: Pick<Manifest, 'tables' | 'organizations'>, got: Counts): CountDiff[] {
  const diffs: CountDiff[] = []
  for (const table of union(Object.keys(manifest.tables), Object.keys(got.tables))) {
    const expected = manifest.tables[table] ?? 'missing'
    const have = got.tables[table] ?? 'missing'
    if (expected !== have) diffs.push({table, expected, got: have})
  }
  for (const table of union(Object.keys(manifest.organizations ?? {}), Object.keys(got.organizations))) {
    const expected = manifest.organizations?.[table] ?? {}
    const have = got.organizations[table] ?? {}
    for (const org of union(Object.keys(expected), Object.keys(have))) {
      if ((expected[org] ?? 0) !== (have[org] ?? 0)) diffs.push({table, organization: org, expected: expected[org] ?? 0, got: have[org] ?? 0})
    }
  }
  return diffs
}

async function checkIndexes(ctx: Context): Promise<string | {skipped: string}> {
  const s = await ctx.scratch.session()
  try {
    await s.client.query(query('backup/create-amcheck').text)
  } catch (error) {
    return {skipped: `amcheck is not available on the scratch server: ${oneLine((error as Error).message)}`}
  }
  const indexes = (await s.client.query<{index_oid: number; index_name: string}>(query('backup/btree-indexes').text)).rows
  const queue = [...indexes]
  const worker = async (w: Session) => {
    for (let next = queue.shift(); next && !ctx.signal.aborted; next = queue.shift()) {
      const index = next
      await inTransaction(w, 'read', (client) => client.query(query('backup/bt-index-check').text, [index.index_oid]))
        .catch((error) => { throw new Error(`bt_index_check(${index.index_name}): ${(mapDbError(error) as Error).message}`) })
    }
  }
  const workers = [s, ...await Promise.all(Array.from({length: Math.min(ctx.jobs, indexes.length) - 1}, () => ctx.scratch.session()))]
  await Promise.all(workers.map(worker))
  if (ctx.signal.aborted) throw new Error('interrupted')
  return `${indexes.length} B-tree indexes checked with bt_index_check`
}

async function audit(session: Session, ctx: Context, rows: StepRow[], failed: StepRow | undefined, actor?: string): Promise<string> {
  const where = `security_events of ${session.target.database}`
  try {
    await inTransaction(session, 'write', (client) => recordAudit(client, {
      eventType: 'admin.backup.verified',
      severity: failed ? 'critical' : 'info',
      description: failed ? `backup ${ctx.dump} failed verification at step ${failed.step} (${failed.name}): ${failed.detail}` : `backup ${ctx.dump} verified`,
      actor,
      metadata: {file: ctx.dump, sha256: ctx.manifest?.sha256 ?? null, database: ctx.manifest?.database ?? null, scratch: ctx.scratch.mode, ok: !failed,
        failed_step: failed?.name ?? null, steps: rows.map((r) => ({name: r.name, status: r.status, duration_ms: r.duration_ms}))},
    }))
    return `recorded in ${where}`
  } catch (error) {
    return `not recorded in ${where}: ${oneLine((mapDbError(error) as Error).message)}`
  }
}

function record(ctx: Context, result: VerifyResult): void {
  if (!ctx.manifest) return
  try {
    writeJsonAtomic(verifyPath(ctx.dump), {
      verified_at: new Date().toISOString(), ok: result.ok, failed_step: result.failed?.name ?? null, reason: result.failed?.detail ?? null,
      steps: result.rows.map(({step, name, status, duration_ms}) => ({step, name, status, duration_ms})),
    })
  } catch {
    // A read-only backup directory: the result is still printed and audited.
  }
}

const union = (a: string[], b: string[]) => [...new Set([...a, ...b])].sort()
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim()
const names = (items: string[], max = 5) => items.slice(0, max).join(', ') + (items.length > max ? ` (+${items.length - max} more)` : '')
