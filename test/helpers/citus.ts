import {randomBytes} from 'node:crypto'
import {join} from 'node:path'
import type {ExecutionContext, TestFn} from 'ava'
import pg from 'pg'
import {
  createClusterDatabase,
  dropClusterDatabase,
  initNodes,
  startNodes,
  stopNodes,
  type CitusNodes,
} from '../../src/cluster/citus.js'
import {serverUser} from '../../src/cluster/control.js'
import {runCli} from './cli.js'

/** The suite's 3-node Citus cluster that test/run.js started (FLUXADMIN_TEST_CITUS_NODES), if it did. */
export function suiteCitus(): CitusNodes | undefined {
  const nodes = process.env.FLUXADMIN_TEST_CITUS_NODES
  return nodes ? (JSON.parse(nodes) as CitusNodes) : undefined
}

/**
 * Registers a Citus test file's tests when the suite's cluster runs; else one skipped test whose title says why
 * (FLUXADMIN_TEST_CITUS_SKIP: Citus not installed, or no Citus file among those given to test/run.js).
 */
export function withCitus<T>(test: TestFn<T>, register: (nodes: CitusNodes) => void): void {
  const nodes = suiteCitus()
  if (nodes) register(nodes)
  else
    test.skip(`Citus tests skipped: ${process.env.FLUXADMIN_TEST_CITUS_SKIP ?? 'no Citus cluster (run them through test/run.js)'}`, () => {})
}

export interface CitusDb {
  name: string
  /** The coordinator's URL for this database. */
  url: string
  /** A plain pg client on the coordinator. */
  pg: pg.Client
  nodes: CitusNodes
}

/**
 * A database of its own on every node of `nodes` (default: the suite's cluster) for one test file: on the
 * coordinator cloned from the suite's migrated template (or empty), citus created, the workers added (unless
 * addWorkers is false); dropped after.
 */
export async function freshCitusDb(
  t: {after: {always: (fn: () => Promise<void>) => void}} | ExecutionContext,
  options: {migrated?: boolean; nodes?: CitusNodes; addWorkers?: boolean} = {},
): Promise<CitusDb> {
  const nodes = options.nodes ?? suiteCitus()!
  const name = `c_${randomBytes(6).toString('hex')}`
  const url = await createClusterDatabase(
    nodes,
    name,
    {coordinator: options.migrated === false ? undefined : process.env.FLUXADMIN_TEST_TEMPLATE},
    options.addWorkers ?? true,
  )
  const client = new pg.Client({connectionString: url})
  await client.connect()
  const cleanup = async () => {
    await client.end().catch(() => {})
    await dropClusterDatabase(nodes, name).catch(() => {})
  }
  if ('teardown' in t) t.teardown(cleanup)
  else t.after.always(cleanup)
  return {name, url, pg: client, nodes}
}

/** A 3-node Citus cluster of its own (the suite's binaries and template), for faults that would disturb other files: stopped after. */
export async function dedicatedCitus(t: ExecutionContext, name: string): Promise<CitusNodes> {
  const suite = suiteCitus()!
  const nodes = await initNodes(join(process.env.FLUXADMIN_TEST_DIR!, `${name}-${randomBytes(3).toString('hex')}`), {
    superuser: 'postgres',
    password: randomBytes(8).toString('hex'),
    binDir: suite.coordinator.binDir,
    runAs: serverUser(),
    settings: {
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      shared_buffers: '16MB',
      max_connections: 60,
    },
  })
  t.teardown(() => stopNodes(nodes, 'immediate'))
  await startNodes(nodes)
  return nodes
}

/**
 * One distributed FluxStudio database (db migrate on an empty coordinator, 4 shards) for a test file's tests, made
 * in test.before and dropped after. `load` fills it on a connection of its own, closed after, so that the worker
 * backends it used exit and report their statistics.
 */
export function distributedFixture<T>(
  test: TestFn,
  load: (client: pg.Client) => Promise<T>,
): () => {db: CitusDb; data: T} {
  const cleanups: Array<() => Promise<void>> = []
  let fixture: {db: CitusDb; data: T} | undefined
  test.after.always(() => Promise.all(cleanups.map((f) => f())))
  test.before(async () => {
    const db = await freshCitusDb({after: {always: (fn) => cleanups.push(fn)}}, {migrated: false})
    const migrated = await runCli(['db', 'migrate', '--shard-count', '4', '--db-url', db.url])
    if (migrated.code !== 0) throw new Error(migrated.stderr)
    const client = new pg.Client({connectionString: db.url})
    await client.connect()
    try {
      fixture = {db, data: await load(client)}
    } finally {
      await client.end()
    }
  })
  return () => fixture!
}
