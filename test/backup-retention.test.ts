import {existsSync, mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import test from 'ava'
import {isoWeek, pruneBackups} from '../src/backup/retention.js'
import {runCli} from './helpers/cli.js'
import {parseJson, tempDir} from './backup-fixtures.js'

const NOW = new Date('2026-11-24T12:00:00Z')
const DAY = 86_400_000

/** A fake backup `ageDays` old (manifest and a dump file), optionally with a verify record. */
function fake(dir: string, ageDays: number, verified?: boolean, database = 'fluxstudio'): string {
  const created = new Date(NOW.getTime() - ageDays * DAY)
  const name = `${database}_${created
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}.dump`
  writeFileSync(join(dir, name), 'PGDMP')
  writeFileSync(
    join(dir, `${name}.manifest.json`),
    JSON.stringify({
      fluxadmin_manifest: 1,
      file: name,
      format: 'custom',
      sha256: 'x',
      size_bytes: 5,
      created_at: created.toISOString(),
      database,
      tables: {},
      organizations: {},
    }),
  )
  if (verified !== undefined)
    writeFileSync(
      join(dir, `${name}.verify.json`),
      JSON.stringify({
        verified_at: NOW.toISOString(),
        ok: verified,
        failed_step: verified ? null : 'restore',
        reason: null,
        steps: [],
      }),
    )
  return name
}

test('prune keeps dailies, the newest of each week, the newest and the newest verified backup', async (t) => {
  const dir = tempDir(t)
  const newest = fake(dir, 0.5, false)
  const daily = fake(dir, 10)
  // 49 and 50 days old (Tue 2026-10-06, Mon 2026-10-05) fall in the same ISO week; only the newer is kept.
  const weekNewer = fake(dir, 49)
  const weekOlder = fake(dir, 50)
  const ancientVerified = fake(dir, 200, true)
  const ancient = fake(dir, 120)
  t.is(isoWeek(new Date(NOW.getTime() - 49 * DAY)), isoWeek(new Date(NOW.getTime() - 50 * DAY)))

  const plan = await pruneBackups(dir, {keepDailyDays: 30, keepWeeklyDays: 90, dryRun: true, now: NOW})
  const action = Object.fromEntries(plan.map((r) => [r.file, r.action]))
  t.deepEqual(action, {
    [newest]: 'keep',
    [daily]: 'keep',
    [weekNewer]: 'keep',
    [weekOlder]: 'would delete',
    [ancient]: 'would delete',
    [ancientVerified]: 'keep',
  })
  t.regex(plan.find((r) => r.file === ancientVerified)!.reason, /newest verified backup/)
  t.true(existsSync(join(dir, weekOlder)), 'dry run deletes nothing')

  const done = await pruneBackups(dir, {keepDailyDays: 30, keepWeeklyDays: 90, now: NOW, confirm: async () => true})
  t.is(done.filter((r) => r.action === 'delete').length, 2)
  for (const gone of [weekOlder, ancient]) {
    t.false(existsSync(join(dir, gone)))
    t.false(existsSync(join(dir, `${gone}.manifest.json`)))
  }
  t.true(existsSync(join(dir, ancientVerified)))
  const declined = await pruneBackups(dir, {keepDailyDays: 0, keepWeeklyDays: 0, now: NOW, confirm: async () => false})
  t.true(declined.every((r) => r.action !== 'delete'))
})

test("each database in the directory has its own retention: another database's newer backups never cost it its newest, its newest verified or its weekly backup", async (t) => {
  const dir = tempDir(t)
  const app = [fake(dir, 0.5), fake(dir, 49), fake(dir, 120)]
  // analytics stopped being backed up 100 days ago: its newest is older than --keep-weekly.
  const analytics = [fake(dir, 100.2, false, 'analytics'), fake(dir, 160, false, 'analytics')]
  // billing's 49.2-day backup shares an ISO week with app's 49-day one.
  const billing = [
    fake(dir, 10, false, 'billing'),
    fake(dir, 49.2, false, 'billing'),
    fake(dir, 150, true, 'billing'),
    fake(dir, 170, false, 'billing'),
  ]
  t.is(isoWeek(new Date(NOW.getTime() - 49 * DAY)), isoWeek(new Date(NOW.getTime() - 49.2 * DAY)))
  const plan = await pruneBackups(dir, {keepDailyDays: 30, keepWeeklyDays: 90, dryRun: true, now: NOW})
  const reason = Object.fromEntries(plan.map((r) => [r.file, `${r.action}: ${r.reason}`]))
  const week = isoWeek(new Date(NOW.getTime() - 49 * DAY))
  t.deepEqual(reason, {
    [app[0]]: 'keep: newest backup of fluxstudio',
    [app[1]]: `keep: weekly: newest of ${week} (within 90 days)`,
    [app[2]]: 'would delete: older than 90 days',
    [analytics[0]]: 'keep: newest backup of analytics',
    [analytics[1]]: 'would delete: older than 90 days',
    [billing[0]]: 'keep: newest backup of billing',
    [billing[1]]: `keep: weekly: newest of ${week} (within 90 days)`,
    [billing[2]]: 'keep: newest verified backup of billing',
    [billing[3]]: 'would delete: older than 90 days',
  })
})

test('backup list and prune end to end: sizes, verified state, --dry-run, --yes required without a terminal', async (t) => {
  const dir = tempDir(t)
  fake(dir, 1, true)
  fake(dir, 100)
  mkdirSync(join(dir, 'unrelated'))
  const list = await runCli(['backup', 'list', '--dir', dir, '--format', 'json'])
  t.is(list.code, 0, list.stderr)
  const rows = parseJson(list)
  t.deepEqual(
    rows.map((r: {verified: string}) => r.verified),
    ['yes', 'no'],
  )
  // Raw values in json (bytes, seconds), units in the table, as every other table.
  t.like(rows[0], {size_bytes: 5, database: 'fluxstudio'})
  t.true(Number.isInteger(rows[0].age_s) && rows[0].age_s >= 0)
  t.false('size' in rows[0] || 'age' in rows[0])
  const table = await runCli(['backup', 'list', '--dir', dir, '--format', 'table'])
  t.regex(table.stdout, /^file +database +created_at +age_s +size_bytes /m)
  t.regex(table.stdout, / 5 B +custom /)

  const dry = await runCli(['backup', 'prune', '--dir', dir, '--dry-run', '--format', 'csv'])
  t.is(dry.code, 0, dry.stderr)
  t.regex(dry.stdout, /would delete,older than 90 days/)
  const refused = await runCli(['backup', 'prune', '--dir', dir])
  t.is(refused.code, 2)
  t.regex(refused.stderr, /^Error: refusing to delete 1 backup from .* without confirmation\nHint: pass --yes/)
  const pruned = await runCli(['backup', 'prune', '--dir', dir, '--yes', '--format', 'json'], {
    env: {FLUXADMIN_KEEP_WEEKLY: '90'},
  })
  t.is(pruned.code, 0, pruned.stderr)
  t.is(parseJson(pruned).filter((r: {action: string}) => r.action === 'delete').length, 1)
  t.is(parseJson(await runCli(['backup', 'list', '--dir', dir, '--format', 'json'])).length, 1)
  const missing = await runCli(['backup', 'list', '--dir', join(dir, 'nope')])
  t.is(missing.code, 2)
})
