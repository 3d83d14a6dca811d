import {rmSync} from 'node:fs'
import {join} from 'node:path'
import type {ClusterSpec} from '../cluster/control.js'
import {migrateAndSeed, type SandboxSize} from './seed.js'
import type {SandboxState} from './state.js'
import {createClusterDatabase, initNodes, startNodes, type CitusNodes} from '../cluster/citus.js'
import {distribute} from '../citus/distribute.js'

const WORKERS = 2

/** Where the sandbox's workers live: beside the coordinator's data directory. */
export const workerDirs = (dir: string) => Array.from({length: WORKERS}, (_, i) => join(dir, `worker-${i + 1}`))

/** The sandbox's Citus nodes from its state: the coordinator is the sandbox's own cluster, the workers beside it. */
export function sandboxNodes(coordinator: ClusterSpec, state: SandboxState): CitusNodes {
  return {coordinator, workers: (state.citus?.workers ?? []).map((w) => ({...coordinator, dir: w.dir, port: w.port}))}
}

/**
 * A 3-node Citus sandbox in `coordinator.dir` (workers in worker-1, worker-2): initdb, start, the database on
 * every node with the workers added, migrate, the demo data, and `db distribute`. Fills in the state's ports.
 */
export async function buildCitusSandbox(
  coordinator: ClusterSpec,
  state: SandboxState,
  size: SandboxSize,
  step: (s: string) => void,
): Promise<void> {
  const {dir, port, ...template} = coordinator
  // What a build that did not finish left (the coordinator's data directory the caller clears).
  for (const w of workerDirs(dir)) rmSync(w, {recursive: true, force: true})
  const nodes = await initNodes(dir, template, WORKERS, port)
  state.port = nodes.coordinator.port
  state.citus = {workers: nodes.workers.map((w) => ({dir: w.dir, port: w.port}))}
  step(
    `initdb of a Citus coordinator (127.0.0.1:${nodes.coordinator.port}) and ${WORKERS} workers (${nodes.workers.map((w) => `127.0.0.1:${w.port}`).join(', ')})`,
  )
  step(`starting the ${WORKERS + 1} nodes`)
  await startNodes(nodes)
  state.url = await createClusterDatabase(nodes, state.database)
  await migrateAndSeed(state.url, size, step, async (session) => {
    step('distributing (db distribute)')
    step((await distribute(session, {shardCount: 32, actor: 'sandbox'})).layout)
  })
}
