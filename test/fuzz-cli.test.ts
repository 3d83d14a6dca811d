// Hostile values through the CLI's flags, arguments and environment (issue 13, "Done when"): every run ends
// with a documented exit code (never 1, "a bug"), no stack trace, no hang, and nothing written.
import {execFileSync} from 'node:child_process'
import {closeSync, mkdirSync, openSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import test from 'ava'
import {runCli, type CliResult} from './helpers/cli.js'
import {freshDb} from './helpers/db.js'
import {checksum, fileDb, fixture} from './tenants-fixtures.js'

const getDb = fileDb(test, async (d) => {
  await fixture(d.pg)
  await d.pg.query(
    "INSERT INTO conversations (organization_id, name) SELECT id, 'General' FROM organizations WHERE slug = 'north-high'",
  )
})

/** Hostile values by kind; each is combined with every transform below. */
const ATOMS: Record<string, string[]> = {
  empty: ['', ' ', '\t'],
  huge: [256, 5000, 60_000].map((n) => 'a'.repeat(n)),
  unicode: ['é', '😀'.repeat(40), '\u202egnp.exe', 'a\u200bb', 'Ω≈ç√', '\uFEFFbom'],
  numbers: ['-1', '0', '1e309', '9223372036854775808', '2147483648', '99999999999999999999', 'NaN', '0x10', '1.5'],
  times: [
    '2026-02-30',
    '2026-13-01',
    '9999-12-31T23:59:60Z',
    '-1d',
    '999999999999999ms',
    '99999999w',
    '0.4ms',
    '1e3s',
    '1.5.2h',
    '2026-01-31 24:00',
  ],
  injection: ["'; DROP TABLE users; --", '" OR 1=1 --', '$1', '%s%n%x', '$(id)', '\\', "north-high'--", 'NULL'],
  paths: ['/nonexistent/x.csv', '/', '/etc/passwd', '../../etc/passwd', '-', '~'],
  encoded: ['%00', 'a%00b', '%', '%ZZ'],
}

const TRANSFORMS: Array<(v: string) => string> = [
  (v) => v,
  (v) => ` ${v} `,
  (v) => v.toUpperCase(),
  (v) => `north-high${v}`,
  (v) => `${v},${v}`,
]

/** Every atom under every transform, without repeats, and short enough for one argv entry (128 KiB). */
function hostileValues(): string[] {
  const out = new Set<string>()
  for (const atoms of Object.values(ATOMS))
    for (const atom of atoms) for (const transform of TRANSFORMS) out.add(transform(atom))
  return [...out].filter((v) => Buffer.byteLength(v) < 120_000)
}

/** `local`: the command takes no --db-url (it reads only files); `monitor`: exit codes are 0 OK .. 3 UNKNOWN. */
type Slot = (v: string) => {args: string[]; env?: NodeJS.ProcessEnv; local?: boolean; monitor?: boolean}

const arg =
  (...args: string[]): Slot =>
  (v) => ({args: args.map((a) => (a === 'V' ? v : a))})

/** Read-only commands and mutations in --dry-run: none may write. */
const SLOTS: Slot[] = [
  arg('orgs', 'show', 'V'),
  arg('users', 'show', 'V'),
  arg('teams', 'show', 'V', '--org', 'north-high'),
  arg('orgs', 'list', '--limit', 'V'),
  arg('orgs', 'list', '--search', 'V'),
  arg('users', 'list', '--org', 'V'),
  arg('users', 'list', '--search', 'V', '--limit', 'V'),
  arg('members', 'list', 'V'),
  arg('projects', 'list', 'V'),
  arg('audit', 'list', '--since', 'V'),
  arg('audit', 'list', '--until', 'V'),
  arg('audit', 'list', '--cursor', 'V'),
  arg('audit', 'list', '--user', 'V', '--limit', 'V'),
  arg('sessions', 'list', '--user', 'V'),
  arg('search', 'messages', 'V'),
  arg('search', 'messages', 'hello', '--after', 'V'),
  arg('search', 'messages', 'hello', '--since', 'V'),
  arg('search', 'messages', 'hello', '--author', 'V'),
  arg('search', 'messages', 'hello', '--conversation', 'V'),
  arg('search', 'messages', 'hello', '--limit', 'V'),
  arg('stats', 'top', '-n', 'V'),
  arg('stats', 'top', '--query', 'V'),
  arg('stats', 'explain', 'V'),
  arg('stats', 'explain', '1', '--params', 'V'),
  arg('stats', 'tenants', '--recent', 'V'),
  arg('vacuum', 'wraparound', '--tables', 'V'),
  arg('vacuum', 'bloat', '--min-wasted', 'V'),
  arg('activity', '--min-duration', 'V'),
  arg('activity', '--filter', 'V'),
  arg('reports', 'run', 'V'),
  arg('reports', 'run', 'security-summary', '--since', 'V'),
  arg('reports', 'run', 'tenant-usage', '--org', 'V'),
  arg('orgs', 'list', '--statement-timeout', 'V'),
  (v) => ({args: ['orgs', 'list'], env: {FLUXADMIN_STATEMENT_TIMEOUT: v}}),
  (v) => ({args: ['users', 'list'], env: {FLUXADMIN_FORMAT: v}}),
  arg('backend', 'terminate', 'V', '--dry-run', '--yes'),
  arg('backend', 'cancel', 'V', '--dry-run', '--yes'),
  arg('orgs', 'create', '--slug', 'V', '--name', 'Fuzz', '--type', 'studio', '--dry-run', '--yes'),
  arg('orgs', 'create', '--slug', 'fuzz', '--name', 'V', '--type', 'V', '--dry-run', '--yes'),
  arg('orgs', 'update', 'north-high', '--name', 'V', '--website', 'V', '--dry-run', '--yes'),
  arg('orgs', 'suspend', 'V', '--reason', 'V', '--dry-run', '--yes'),
  arg('users', 'invite', '--email', 'V', '--name', 'Fuzz', '--type', 'client', '--dry-run', '--yes'),
  arg('users', 'update', 'ada@example.org', '--phone', 'V', '--timezone', 'V', '--dry-run', '--yes'),
  arg('users', 'update', 'V', '--name', 'V', '--dry-run', '--yes'),
  arg('members', 'add', 'north-high', 'V', '--dry-run', '--yes'),
  arg('members', 'set-role', 'north-high', 'bob@example.org', 'V', '--dry-run', '--yes'),
  arg('teams', 'create', '--org', 'north-high', '--slug', 'V', '--name', 'V', '--dry-run', '--yes'),
  arg('teams', 'add-member', 'V', 'ada@example.org', '--org', 'north-high', '--role', 'V', '--dry-run', '--yes'),
  arg('projects', 'add-member', 'north-high', 'V', 'ada@example.org', '--dry-run', '--yes'),
  arg('sessions', 'revoke', '--user', 'V', '--dry-run', '--yes'),
  arg('sessions', 'revoke', '--id', 'V', '--dry-run', '--yes'),
  arg('sessions', 'purge', '--older-than', 'V', '--batch-size', 'V', '--dry-run', '--yes'),
  arg('onboard', 'V', '--org', 'north-high', '--dry-run', '--yes'),
  arg('onboard', '/etc/hostname', '--org', 'V', '--dry-run', '--yes'),
  (v) => ({args: ['backup', 'list', '--dir', v], local: true}),
  (v) => ({args: ['health', 'check', '--format', 'nagios'], env: {FLUXADMIN_HEALTH_ONLY: v}, monitor: true}),
  (v) => ({
    args: ['health', 'check', '--format', 'nagios'],
    env: {FLUXADMIN_HEALTH_WARN: `idle_in_transaction=${v}`, FLUXADMIN_HEALTH_SKIP: v},
    monitor: true,
  }),
  (v) => ({args: ['health', 'check', '--format', 'json', '--crit', `dead_tuples=${v}`], monitor: true}),
]

const DOCUMENTED = new Set([0, 2, 3, 4, 5, 6])
const MONITORING = new Set([0, 1, 2, 3])
const PARALLEL = 4
const CHUNKS = 6

/** What is wrong with a run's outcome, or '' when nothing is. */
function problemOf(r: CliResult, run: Run): string {
  if (r.code === -1) return 'hung (killed after 60 s)'
  if (!(run.monitor ? MONITORING : DOCUMENTED).has(r.code)) return `exit ${r.code}`
  if (/^\s+at /m.test(r.stderr)) return 'stack trace'
  if (/unexpected error/.test(r.stderr)) return 'a bug (unexpected error)'
  if (/DeprecationWarning|NaN-NaN/.test(r.stderr + r.stdout)) return 'driver warning or invalid date'
  return ''
}

interface Run {
  v: string
  args: string[]
  env?: NodeJS.ProcessEnv
  local?: boolean
  monitor?: boolean
}

function allRuns(db: {url: string; name: string}): Run[] {
  const runs: Run[] = hostileValues().map((v, i) => ({v, ...SLOTS[i % SLOTS.length](v)}))
  // A NUL reaches the database name through the URL's percent-encoding (argv cannot carry one).
  const nulUrl = new URL(db.url)
  nulUrl.pathname = `/${db.name}%00x`
  runs.push({v: '%00', args: ['orgs', 'list', '--db-url', nulUrl.toString()]})
  return runs
}

test.serial(`at least 200 generated hostile values over ${SLOTS.length} command forms`, (t) => {
  t.true(hostileValues().length >= 200, `${hostileValues().length} values`)
})

/** Runs every run, PARALLEL at a time, against `url`; one line per run whose outcome has a problem. */
async function problems(
  runs: Run[],
  url: string,
  options: {stdout?: number; codes?: Set<number>} = {},
): Promise<string[]> {
  const queue = [...runs]
  const failures: string[] = []
  const worker = async () => {
    for (let run = queue.shift(); run; run = queue.shift()) {
      const args = run.local || run.args.includes('--db-url') ? run.args : [...run.args, '--db-url', url]
      const r: CliResult = await runCli(args, {
        env: {FLUXADMIN_ACTOR: 'fuzz', ...run.env},
        timeoutMs: 60_000,
        stdout: options.stdout,
      })
      const problem = problemOf(r, run) || (options.codes && !options.codes.has(r.code) ? `exit ${r.code}` : '')
      if (problem)
        failures.push(
          `${problem}: ${JSON.stringify(run.args).slice(0, 160)} ${JSON.stringify(run.env ?? {}).slice(0, 80)} -> ${r.stderr.slice(0, 200)}`,
        )
    }
  }
  await Promise.all(Array.from({length: PARALLEL}, worker))
  return failures
}

// Serial chunks, each within AVA's timeout however loaded the machine; 4 runs at a time within each.
for (let chunk = 0; chunk < CHUNKS; chunk++) {
  test.serial(
    `hostile values, part ${chunk + 1} of ${CHUNKS}: documented exit codes, no stack trace, no hang, nothing written`,
    async (t) => {
      const db = getDb()
      const before = await checksum(db.pg)
      t.deepEqual(
        await problems(
          allRuns(db).filter((_, i) => i % CHUNKS === chunk),
          db.url,
        ),
        [],
      )
      t.deepEqual(await checksum(db.pg), before, 'no table changed')
    },
  )
}

// Hostile surroundings rather than values (issue 32): a full disk, stdout on /dev/full, a read-only
// session, a role without privileges, a LATIN1 database. The same commands in each, reads and real writes.
const work = join(process.env.FLUXADMIN_TEST_DIR!, `fuzz-env-${process.pid}`)
const full = join(work, 'full')
const people = join(work, 'people.csv')

test.before(() => {
  mkdirSync(full, {recursive: true})
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', full])
  // Full to the last block: nothing more fits.
  try {
    writeFileSync(join(full, 'filler'), Buffer.alloc(1 << 20))
  } catch {}
  writeFileSync(people, 'email,name,user_type,role\nenv1@example.org,Env One,client,member\n')
})
test.after.always(() => {
  execFileSync('umount', [full])
  rmSync(work, {recursive: true, force: true})
})

const out = (name: string) => join(full, name)
const ENV_RUNS: Run[] = [
  ['orgs', 'list'],
  ['orgs', 'list', '--json'],
  ['orgs', 'show', 'north-high'],
  ['users', 'list', '--format', 'table'],
  ['members', 'list', 'north-high'],
  ['audit', 'list'],
  ['search', 'messages', 'hello'],
  ['stats', 'top'],
  ['reports', 'run', 'tenant-usage'],
  ['dashboard', '--once', '--format', 'json'],
  ['orgs', 'list', '--out', out('orgs.csv')],
  ['reports', 'run', 'tenant-usage', '--out', out('usage.csv.gz')],
  ['orgs', 'export', 'north-high', '--out', out('north.tar')],
  ['backup', 'create', '--dir', full],
  ['orgs', 'create', '--slug', 'env-org', '--name', 'Env', '--type', 'studio', '--yes'],
  ['orgs', 'update', 'north-high', '--website', 'https://env.example.org', '--yes'],
  ['users', 'invite', '--email', 'env2@example.org', '--name', 'Env Two', '--type', 'client', '--yes'],
  ['teams', 'create', '--org', 'north-high', '--slug', 'env-team', '--name', 'Env', '--yes'],
  ['sessions', 'revoke', '--user', 'ada@example.org', '--yes'],
  ['onboard', people, '--org', 'north-high', '--yes'],
].map((args) => ({v: '', args}))
const MONITOR_RUNS: Run[] = [
  ['health', 'check', '--format', 'nagios'],
  ['db', 'status'],
].map((args) => ({v: '', args, monitor: true}))

test.serial(
  'a full disk and stdout on /dev/full: exit 4 for what is written there, nothing left on the disk',
  async (t) => {
    const db = getDb()
    const before = await checksum(db.pg)
    t.deepEqual(
      await problems(
        ENV_RUNS.filter((r) => r.args.includes(full) || r.args.some((a) => a.startsWith(full))),
        db.url,
        {codes: new Set([4])},
      ),
      [],
    )
    t.deepEqual(readdirSync(full), ['filler'], 'no temporary file, lock or partial dump')
    const fd = openSync('/dev/full', 'w')
    t.teardown(() => closeSync(fd))
    const printing = ENV_RUNS.filter(
      (r) => !r.args.includes('--out') && !r.args.includes('--dir') && !r.args.includes('--yes'),
    )
    // Every one of them prints (a header at least), except perhaps a search without a hit.
    t.deepEqual(
      await problems([...printing, ...MONITOR_RUNS.map((r) => ({...r, monitor: false}))], db.url, {
        stdout: fd,
        codes: new Set([0, 4]),
      }),
      [],
    )
    t.deepEqual(await checksum(db.pg), before, 'no table changed')
  },
)

test.serial(
  'a read-only session (default_transaction_read_only) and a role without privileges: documented exit codes, no change',
  async (t) => {
    const db = getDb()
    const role = `fuzz_limited_${process.pid}`
    await db.pg.query(`CREATE ROLE ${role} LOGIN PASSWORD 'fuzz-limited-pw'`)
    t.teardown(() => db.pg.query(`DROP OWNED BY ${role}; DROP ROLE ${role}`))
    const limited = new URL(db.url)
    limited.username = role
    limited.password = 'fuzz-limited-pw'
    const local = ENV_RUNS.map((r) => ({
      ...r,
      args: r.args.map((a) => (a.startsWith(full) ? a.replace(full, work) : a)),
    }))
    const before = await checksum(db.pg)
    const readOnly = [...local, ...MONITOR_RUNS].map((r) => ({
      ...r,
      env: {PGOPTIONS: '-c default_transaction_read_only=on'},
    }))
    t.deepEqual(await problems(readOnly, db.url), [])
    // A refusal before the rows are read, through COPY (above) and through rows: neither crashes nor hangs.
    const rows: Run = {
      v: '',
      args: ['reports', 'run', 'tenant-usage', '--out', join(work, 'rows.csv.gz')],
      env: {FLUXADMIN_REPORT_VIA: 'rows'},
    }
    t.deepEqual(await problems([...local, ...MONITOR_RUNS, rows, rows], limited.toString()), [])
    // A read-only session may still record its reads in the audit trail (an export); no other table changes.
    const after = await checksum(db.pg)
    delete before.security_events
    delete after.security_events
    t.deepEqual(after, before, 'no table changed')
  },
)

test.serial('a LATIN1 database: every command ends with a documented exit code', async (t) => {
  const latin = await freshDb(t, {encoding: 'LATIN1'})
  await fixture(latin.pg)
  const local = ENV_RUNS.map((r) => ({...r, args: r.args.map((a) => (a.startsWith(full) ? a.replace(full, work) : a))}))
  t.deepEqual(await problems([...local, ...MONITOR_RUNS], latin.url), [])
})
