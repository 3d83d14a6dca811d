import {spawn} from 'node:child_process'
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import pg from 'pg'
import {findServerBinaries} from '../src/cluster/binaries.js'
import {
  clusterUrl,
  freePort,
  initCluster,
  serverUser,
  startCluster,
  stopCluster,
  type ClusterSpec,
} from '../src/cluster/control.js'
import {dataDir} from '../src/cluster/postmaster.js'
import {resolveTarget} from '../src/db/resolve.js'
import {openSession} from '../src/db/session.js'
import {createDatabase} from '../src/sandbox/sandbox.js'
import {migrate} from '../src/schema/migrate.js'

export const STANZA = 'fluxtest'

/** A cluster of its own that archives into a pgBackRest repository in a temporary directory. */
export interface PitrCluster {
  base: string
  spec: ClusterSpec
  /** The migrated fluxstudio database. */
  url: string
  pg: pg.Client
  /** pgbackrest.conf for this repository (and copies of it, see withRepository). */
  config: string
  repo: string
  pgbackrest(args: string[], config?: string): Promise<string>
  /** Switches WAL and waits until the archiver has pushed the segment. */
  switchWal(): Promise<void>
  /** A copy of the repository with its own config (for breaking one without touching the other). */
  withRepository(name: string): {config: string; repo: string}
  close(): Promise<void>
}

function own(path: string) {
  const user = serverUser()
  if (user) chownSync(path, user.uid, user.gid)
}

function writeConfig(base: string, name: string, repo: string, spec: ClusterSpec): string {
  const config = join(base, `${name}.conf`)
  writeFileSync(
    config,
    [
      '[global]',
      `repo1-path=${repo}`,
      'repo1-retention-full=2',
      `lock-path=${join(base, 'lock')}`,
      `log-path=${join(base, 'log')}`,
      'log-level-file=off',
      'start-fast=y',
      'compress-type=none',
      '',
      `[${STANZA}]`,
      `pg1-path=${dataDir(spec.dir)}`,
      `pg1-port=${spec.port}`,
      `pg1-socket-path=${join(base, 'sock')}`,
      'pg1-user=postgres',
      '',
    ].join('\n'),
    {mode: 0o644},
  )
  return config
}

function run(command: string, args: string[]): Promise<string> {
  const user = serverUser()
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {uid: user?.uid, gid: user?.gid, cwd: '/', stdio: ['ignore', 'pipe', 'pipe']})
    let out = ''
    child.stdout.on('data', (d) => {
      out += d
    })
    child.stderr.on('data', (d) => {
      out += d
    })
    child.on('error', reject)
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')}: exit ${code}: ${out}`)),
    )
  })
}

/** Migrated, stanza created, one full backup (after `beforeBackup` filled the database, if given). */
export async function pitrCluster(
  options: {beforeBackup?: (client: pg.Client) => Promise<void>} = {},
): Promise<PitrCluster> {
  const base = mkdtempSync(join(tmpdir(), 'fluxadmin-pitr-test-'))
  chmodSync(base, 0o755)
  for (const dir of ['repo', 'lock', 'log', 'sock']) {
    mkdirSync(join(base, dir), {mode: 0o700})
    own(join(base, dir))
  }
  const port = await freePort()
  const spec: ClusterSpec = {
    dir: join(base, 'cluster'),
    port,
    superuser: 'postgres',
    password: 'pitr-test-pw',
    binDir: process.env.FLUXADMIN_TEST_PG_BIN ?? (await findServerBinaries()).binDir,
    runAs: serverUser(),
    settings: {
      fsync: 'off',
      synchronous_commit: 'off',
      wal_level: 'replica',
      archive_mode: 'on',
      unix_socket_directories: `'${join(base, 'sock')}'`,
    },
  }
  const config = writeConfig(base, 'pgbackrest', join(base, 'repo'), spec)
  spec.settings!.archive_command = `'pgbackrest --config=${config} --stanza=${STANZA} archive-push %p'`
  await initCluster(spec)
  // pgBackRest connects over the socket in base/sock (a directory only the server user can enter).
  const hba = join(dataDir(spec.dir), 'pg_hba.conf')
  writeFileSync(hba, 'local all postgres trust\n' + readFileSync(hba, 'utf8'))
  await startCluster(spec)
  await createDatabase(clusterUrl(spec, 'postgres'), 'fluxstudio')
  const url = clusterUrl(spec, 'fluxstudio')
  const session = await openSession(resolveTarget(url))
  await migrate(session)
  await session.close()
  const client = new pg.Client({connectionString: url})
  await client.connect()
  const pgbackrest = (args: string[], file = config) =>
    run('pgbackrest', [`--config=${file}`, `--stanza=${STANZA}`, ...args])
  await options.beforeBackup?.(client)
  await pgbackrest(['stanza-create'])
  await pgbackrest(['--type=full', 'backup'])
  return {
    base,
    spec,
    url,
    pg: client,
    config,
    repo: join(base, 'repo'),
    pgbackrest,
    async switchWal() {
      const {
        rows: [{segment}],
      } = await client.query('SELECT pg_walfile_name(pg_switch_wal()) AS segment')
      for (let i = 0; i < 600; i++) {
        const {
          rows: [{archived}],
        } = await client.query('SELECT last_archived_wal >= $1 AS archived FROM pg_stat_archiver', [segment])
        if (archived) return
        await new Promise((r) => setTimeout(r, 100))
      }
      throw new Error(`segment ${segment} was not archived within 60 s`)
    },
    withRepository(name) {
      const repo = join(base, name)
      copyTree(join(base, 'repo'), repo)
      return {config: writeConfig(base, name, repo, spec), repo}
    },
    async close() {
      await client.end().catch(() => {})
      await stopCluster(spec, 'immediate').catch(() => {})
      rmSync(base, {recursive: true, force: true})
    },
  }
}

function copyTree(from: string, to: string) {
  mkdirSync(to, {mode: 0o700})
  own(to)
  for (const entry of readdirSync(from)) {
    const source = join(from, entry)
    if (statSync(source).isDirectory()) copyTree(source, join(to, entry))
    else {
      writeFileSync(join(to, entry), readFileSync(source), {mode: 0o640})
      own(join(to, entry))
    }
  }
}

/** Every file under a directory, relative, sorted (to prove a drill added nothing to the archive). */
export function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir)
    .flatMap((entry) => {
      const path = join(dir, entry)
      return statSync(path).isDirectory() ? filesUnder(path, `${prefix}${entry}/`) : [`${prefix}${entry}`]
    })
    .sort()
}
