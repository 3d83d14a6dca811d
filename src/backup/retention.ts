import {existsSync, rmSync, statSync} from 'node:fs'
import {basename} from 'node:path'
import {usageError} from '../errors.js'
import {listDumps, manifestPath, verifyPath} from './manifest.js'

const DAY = 86_400_000

export interface BackupListRow {
  file: string
  database: string
  created_at: Date
  /** Seconds since created_at: raw in csv and json, a duration in the table (like every `_s` column). */
  age_s: number
  size_bytes: number
  format: string
  /** null for pgBackRest backups: `backup pitr verify` proves those. */
  verified: 'yes' | 'failed' | 'no' | null
  verified_at: Date | null
  failed_step: string | null
}

/** Backups in a directory (those with a manifest), newest first, with their last verify result. */
export function listBackups(dir: string, now = new Date()): BackupListRow[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw usageError(`${dir} is not a directory`, 'pass the --dir that `backup create` wrote to')
  return listDumps(dir).map(({dump, manifest, verify}) => ({
    file: basename(dump),
    database: manifest.database,
    created_at: new Date(manifest.created_at),
    age_s: ageSeconds(new Date(manifest.created_at), now),
    size_bytes: manifest.size_bytes,
    format: manifest.format,
    verified: !verify ? 'no' : verify.ok ? 'yes' : 'failed',
    verified_at: verify ? new Date(verify.verified_at) : null,
    failed_step: verify && !verify.ok ? verify.failed_step : null,
  }))
}

export interface PruneRow {
  file: string
  created_at: Date
  age_s: number
  verified: BackupListRow['verified']
  action: 'keep' | 'delete' | 'would delete'
  reason: string
}

export interface PruneOptions {
  keepDailyDays: number
  keepWeeklyDays: number
  dryRun?: boolean
  now?: Date
  /** Asked once before anything is deleted (not on a dry run); false keeps everything. */
  confirm?: (what: string) => Promise<boolean>
}

/**
 * The seed's retention: every backup younger than keepDailyDays, then the newest of each ISO week
 * younger than keepWeeklyDays. The newest backup and the newest verified backup are always kept.
 * Each database in the directory has its own retention: another database's backups never count.
 */
export async function pruneBackups(dir: string, options: PruneOptions): Promise<PruneRow[]> {
  if (options.keepWeeklyDays < options.keepDailyDays)
    throw usageError('--keep-weekly must be at least --keep-daily', 'e.g. --keep-daily 30 --keep-weekly 90')
  const now = (options.now ?? new Date()).getTime()
  const rows = listBackups(dir, new Date(now))
  const dumps = listDumps(dir)
  const newestVerified = new Map<string, string>()
  for (const d of dumps)
    if (d.verify?.ok && !newestVerified.has(d.manifest.database)) newestVerified.set(d.manifest.database, d.dump)
  const seen = new Set<string>()
  const plan = dumps.map(({dump, manifest}, i) => {
    const created = Date.parse(manifest.created_at)
    const ageDays = (now - created) / DAY
    const week = isoWeek(new Date(created))
    const newest = !seen.has(manifest.database)
    const firstOfWeek = !seen.has(`${manifest.database}\0${week}`)
    seen.add(manifest.database).add(`${manifest.database}\0${week}`)
    let reason: string | undefined
    if (newest) reason = `newest backup of ${manifest.database}`
    else if (newestVerified.get(manifest.database) === dump) reason = `newest verified backup of ${manifest.database}`
    else if (ageDays <= options.keepDailyDays) reason = `daily (within ${options.keepDailyDays} days)`
    else if (ageDays <= options.keepWeeklyDays && firstOfWeek)
      reason = `weekly: newest of ${week} (within ${options.keepWeeklyDays} days)`
    const deleteReason =
      ageDays > options.keepWeeklyDays
        ? `older than ${options.keepWeeklyDays} days`
        : `older than ${options.keepDailyDays} days, not the newest of ${week}`
    return {dump, row: rows[i], keep: Boolean(reason), reason: reason ?? deleteReason}
  })
  const doomed = plan.filter((p) => !p.keep)
  let go = !options.dryRun && doomed.length > 0
  if (go && options.confirm)
    go = await options.confirm(`delete ${doomed.length} backup${doomed.length === 1 ? '' : 's'} from ${dir}`)
  if (go) {
    for (const p of doomed) {
      // The manifest goes first: a half-deleted backup is never listed as one.
      rmSync(manifestPath(p.dump), {force: true})
      rmSync(verifyPath(p.dump), {force: true})
      rmSync(p.dump, {recursive: true, force: true})
    }
  }
  return plan.map((p) => ({
    file: p.row.file,
    created_at: p.row.created_at,
    age_s: p.row.age_s,
    verified: p.row.verified,
    action: p.keep ? 'keep' : go ? 'delete' : 'would delete',
    reason: p.reason,
  }))
}

/** `2026-W48` (ISO 8601 week, UTC). */
export function isoWeek(date: Date): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()))
  const day = d.getUTCDay() || 7
  d.setUTCDate(d.getUTCDate() + 4 - day)
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1)
  const week = Math.ceil(((d.getTime() - yearStart) / DAY + 1) / 7)
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`
}

/** Whole seconds from `created` to `now` (0 for a clock that is behind). */
export const ageSeconds = (created: Date, now: Date) =>
  Math.max(0, Math.floor((now.getTime() - created.getTime()) / 1000))
