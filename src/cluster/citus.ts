import {execFileSync} from 'node:child_process'
import {chownSync, existsSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {query} from '../db/queries.js'
import {resolveTarget} from '../db/resolve.js'
import {openSession, type Session} from '../db/session.js'
import {FluxError} from '../errors.js'
import {clusterUrl, freePort, initCluster, startCluster, stopCluster, type ClusterSpec} from './control.js'

/**
 * Every node of a Citus cluster: Citus and pg_stat_statements preloaded, logical WAL for shard moves, two-phase commit.
 * A shard split or move connects a node to itself by citus.local_hostname (default `localhost`, which the nodes'
 * .pgpass does not name), and decodes WAL with Citus' own output plugin.
 */
export const CITUS_SETTINGS = {
  shared_preload_libraries: "'citus,pg_stat_statements'",
  wal_level: 'logical',
  'citus.local_hostname': "'127.0.0.1'",
  max_prepared_transactions: 100,
  max_wal_senders: 10,
  max_replication_slots: 10,
} as const

/** A coordinator and its workers, each its own PostgreSQL cluster on 127.0.0.1 (the coordinator holds no shards). */
export interface CitusNodes {
  coordinator: ClusterSpec
  workers: ClusterSpec[]
}

/** What is the same on every node: superuser, password, binaries, the OS user, extra settings. */
export type NodeTemplate = Omit<ClusterSpec, 'dir' | 'port'>

const INSTALL_HINT =
  "build and install Citus for PostgreSQL 15 first (bash ../shared/citus/install.sh builds Citus 13.2.2 from source into Debian's postgresql-15, or set FLUXADMIN_CITUS_PG_BIN to the bin directory of a PostgreSQL that has Citus); the embedded PostgreSQL cannot carry Citus"

/** Whether the PostgreSQL of this bin directory has the citus extension installed (its control file and library). */
export function hasCitus(binDir: string): boolean {
  try {
    const [share, lib] = execFileSync(join(binDir, 'pg_config'), ['--sharedir', '--pkglibdir'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .trim()
      .split('\n')
    return existsSync(join(share, 'extension', 'citus.control')) && existsSync(join(lib, 'citus.so'))
  } catch {
    return false
  }
}

/**
 * The bin directory of a PostgreSQL with Citus: FLUXADMIN_CITUS_PG_BIN, else Debian's 15, 16 or 17 (Citus 13.2
 * supports 15-17). Without one, exit 2 with the hint to build Citus for PostgreSQL 15.
 */
export function findCitusBinaries(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = env.FLUXADMIN_CITUS_PG_BIN
    ? [env.FLUXADMIN_CITUS_PG_BIN]
    : ['15', '16', '17'].map((v) => `/usr/lib/postgresql/${v}/bin`)
  const found = candidates.find(hasCitus)
  if (found) return found
  throw new FluxError(`Citus is not installed here (no citus extension in ${candidates.join(', ')})`, {
    kind: 'usage',
    hint: INSTALL_HINT,
  })
}

/** Picks distinct free ports and runs initdb for a coordinator (in `dir`) and `workers` workers (in `dir/worker-N`). */
export async function initNodes(
  dir: string,
  template: NodeTemplate,
  workers = 2,
  coordinatorPort?: number,
): Promise<CitusNodes> {
  const ports = new Set<number>()
  const settings = {...template.settings, ...CITUS_SETTINGS, ...outputPluginSetting(template.binDir)}
  const spec = async (nodeDir: string, preferred?: number): Promise<ClusterSpec> => {
    let port = await freePort(preferred)
    while (ports.has(port)) port = await freePort()
    ports.add(port)
    return {...template, dir: nodeDir, port, settings}
  }
  const nodes: CitusNodes = {coordinator: await spec(dir, coordinatorPort), workers: []}
  for (let i = 1; i <= workers; i++) nodes.workers.push(await spec(join(dir, `worker-${i}`)))
  await Promise.all(
    allNodes(nodes).map(async (node) => {
      await initCluster(node)
      writePassFile(node)
    }),
  )
  return nodes
}

/**
 * Debian's PostgreSQL lets only the output plugins of output_plugin_libraries decode WAL; shard moves and
 * isolate_tenant_to_new_shard decode with `citus`. A server without that setting allows every plugin.
 */
function outputPluginSetting(binDir: string): Record<string, string> {
  try {
    const config = execFileSync(join(binDir, 'postgres'), ['--describe-config'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    return /^output_plugin_libraries\t/m.test(config)
      ? {output_plugin_libraries: "'pgoutput, test_decoding, citus'"}
      : {}
  } catch {
    return {}
  }
}

/**
 * Nodes connect to each other as the superuser with its password (scram): each server finds it in a .pgpass in
 * its HOME, which is its cluster directory (src/sandbox/cluster.ts), so it is in no catalog.
 */
function writePassFile(node: ClusterSpec): void {
  const file = join(node.dir, '.pgpass')
  writeFileSync(
    file,
    `127.0.0.1:*:*:${node.superuser.replace(/[:\\]/g, '\\$&')}:${node.password.replace(/[:\\]/g, '\\$&')}\n`,
    {mode: 0o600},
  )
  if (node.runAs) chownSync(file, node.runAs.uid, node.runAs.gid)
}

export const allNodes = (nodes: CitusNodes) => [nodes.coordinator, ...nodes.workers]

/** Workers first, so that the coordinator's maintenance daemon finds them up. */
export async function startNodes(nodes: CitusNodes): Promise<void> {
  await Promise.all(nodes.workers.map((w) => startCluster(w)))
  await startCluster(nodes.coordinator)
}

export async function stopNodes(nodes: CitusNodes, mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
  await stopCluster(nodes.coordinator, mode)
  await Promise.all(nodes.workers.map((w) => stopCluster(w, mode)))
}

const nodeUrl = (node: ClusterSpec, database: string) => clusterUrl(node, database)

async function withSession<T>(url: string, fn: (s: Session) => Promise<T>): Promise<T> {
  const session = await openSession(resolveTarget(url))
  try {
    return await fn(session)
  } finally {
    await session.close()
  }
}

/**
 * Creates `database` on every node (from `template` where given) with the citus extension, and makes the
 * coordinator's copy a Citus cluster: coordinator host set, every worker added (unless addWorkers is false). Returns the coordinator's URL.
 * A template must not have the citus extension: its maintenance daemon keeps sessions in it, which CREATE DATABASE refuses.
 */
export async function createClusterDatabase(
  nodes: CitusNodes,
  database: string,
  template?: {coordinator?: string; workers?: string},
  addWorkers = true,
): Promise<string> {
  const create = async (node: ClusterSpec, from: string | undefined) => {
    await withSession(nodeUrl(node, 'postgres'), async (s) => {
      const {
        rows: [{sql}],
      } = await s.client.query(query('db/create-database-statement').text, [database, from ?? null])
      await s.client.query(sql)
    })
    await withSession(nodeUrl(node, database), (s) => s.client.query(query('citus/create-extension').text))
  }
  await Promise.all(nodes.workers.map((w) => create(w, template?.workers)))
  await create(nodes.coordinator, template?.coordinator)
  await withSession(nodeUrl(nodes.coordinator, database), async (s) => {
    await s.client.query(query('citus/set-coordinator-host').text, ['127.0.0.1', nodes.coordinator.port])
    if (addWorkers)
      for (const w of nodes.workers) await s.client.query(query('citus/add-node').text, ['127.0.0.1', w.port])
  })
  return nodeUrl(nodes.coordinator, database)
}

/** Drops `database` on every node, ending the sessions still in it. */
export async function dropClusterDatabase(nodes: CitusNodes, database: string): Promise<void> {
  await Promise.all(
    allNodes(nodes).map((node) =>
      withSession(nodeUrl(node, 'postgres'), async (s) => {
        const {
          rows: [{sql}],
        } = await s.client.query(query('db/drop-database-statement').text, [database])
        await s.client.query(sql)
      }),
    ),
  )
}
