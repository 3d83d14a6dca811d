import {randomBytes} from 'node:crypto'
import {existsSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {findCitusBinaries, startNodes, stopNodes} from '../cluster/citus.js'
import {buildCitusSandbox, sandboxNodes} from './citus.js'
import {findServerBinaries} from '../cluster/binaries.js'
import {clusterUrl, freePort, initCluster, serverUser, startCluster, type ClusterSpec} from '../cluster/control.js'
import {dataDir, postmasterPid} from '../cluster/postmaster.js'
import {query} from '../db/queries.js'
import {resolveTarget} from '../db/resolve.js'
import {openSession} from '../db/session.js'
import {conflict, FluxError} from '../errors.js'
import {migrateAndSeed, type SandboxSize} from './seed.js'
import {withStartLock} from './start-lock.js'
import {readState, sandboxDir, stateFile, type SandboxState} from './state.js'

const DATABASE = 'fluxstudio'
const SUPERUSER = 'postgres'
const PREFERRED_PORT = 54329

export interface SandboxStatus {
  dir: string
  initialized: boolean
  running: boolean
  pid: number | null
  port: number | null
  database: string | null
  size: string | null
  binaries: string | null
  run_as: string | null
  /** `single node`, or `citus: coordinator and workers 127.0.0.1:P1, 127.0.0.1:P2`. */
  layout: string | null
}

function specFor(dir: string, state: SandboxState): ClusterSpec {
  return {
    dir,
    port: state.port,
    superuser: state.user,
    password: state.password,
    binDir: state.binDir,
    runAs: serverUser(),
  }
}

export function sandboxStatus(dir = sandboxDir()): SandboxStatus {
  const state = readState(dir)
  const pid = postmasterPid(dataDir(dir)) ?? null
  return {
    dir,
    initialized: Boolean(state),
    running: pid !== null,
    pid,
    port: state?.port ?? null,
    database: state?.database ?? null,
    size: state?.size ?? null,
    binaries: state ? `${state.binSource} (${state.binDir})` : null,
    run_as: state?.runAs ?? null,
    layout: !state
      ? null
      : state.citus
        ? `citus: coordinator and workers ${state.citus.workers.map((w) => `127.0.0.1:${w.port}`).join(', ')}`
        : 'single node',
  }
}

/** Creates (first time: initdb, migrate, seed) and starts the sandbox; returns its state. One start at a time. */
export async function startSandbox(options: {
  size: SandboxSize
  citus?: boolean
  onStep?: (step: string) => void
}): Promise<{state: SandboxState; created: boolean}> {
  const dir = sandboxDir()
  const step = options.onStep ?? (() => {})
  return withStartLock(
    dir,
    (pid) => step(`another sandbox start (pid ${pid}) is building or starting it: waiting for it`),
    () => startLocked(dir, options.size, Boolean(options.citus), step),
  )
}

async function startLocked(
  dir: string,
  size: SandboxSize,
  citus: boolean,
  step: (step: string) => void,
): Promise<{state: SandboxState; created: boolean}> {
  const existing = readState(dir)
  if (existing && !existing.ready) {
    step('the last build did not finish: rebuilding')
    await resetSandbox()
  } else if (existing && existsSync(dataDir(dir))) {
    if (citus && !existing.citus)
      throw conflict(
        'the sandbox exists as a single node',
        'rebuild it as a 3-node Citus cluster with `fluxadmin sandbox reset --citus` (its data is deleted)',
      )
    if (!postmasterPid(dataDir(dir))) await keepPortFree(dir, existing, step)
    step(
      `starting PostgreSQL on 127.0.0.1:${existing.port}${existing.citus ? ` and its ${existing.citus.workers.length} Citus workers` : ''}`,
    )
    await startNodes(sandboxNodes(specFor(dir, existing), existing))
    return {state: existing, created: false}
  }
  // The embedded PostgreSQL has no Citus: a Citus sandbox needs a PostgreSQL it was built for.
  const bins = citus ? {binDir: findCitusBinaries(), source: 'system' as const} : await findServerBinaries()
  const runAs = serverUser()
  if (runAs) step(`running as root: the server runs as the unprivileged user "${runAs.name}"`)
  const port = await freePort(PREFERRED_PORT)
  const password = randomBytes(18).toString('base64url')
  // The schema document's recommendation; fluxadmin's own sessions set theirs per transaction.
  const spec: ClusterSpec = {
    dir,
    port,
    superuser: SUPERUSER,
    password,
    binDir: bins.binDir,
    runAs,
    settings: {statement_timeout: "'30s'"},
  }
  assertOurs(dir)
  const state: SandboxState = {
    port,
    user: SUPERUSER,
    password,
    database: DATABASE,
    binDir: bins.binDir,
    binSource: bins.source,
    runAs: runAs?.name,
    size,
    url: clusterUrl(spec, DATABASE),
    ready: false,
  }
  const save = () => saveState(dir, state)
  // Written before initdb: a data directory with no state file beside it is never the sandbox's.
  save()
  rmSync(dataDir(dir), {recursive: true, force: true})
  if (citus) await buildCitusSandbox(spec, state, size, step)
  else await buildSingleNode(spec, state, size, step)
  state.ready = true
  save()
  return {state, created: true}
}

async function buildSingleNode(
  spec: ClusterSpec,
  state: SandboxState,
  size: SandboxSize,
  step: (step: string) => void,
): Promise<void> {
  step(`initdb in ${dataDir(spec.dir)} (${state.binSource} binaries: ${spec.binDir})`)
  await initCluster(spec)
  step(`starting PostgreSQL on 127.0.0.1:${spec.port}`)
  await startCluster(spec)
  await createDatabase(clusterUrl(spec, 'postgres'), DATABASE)
  await migrateAndSeed(state.url, size, step)
}

const saveState = (dir: string, state: SandboxState) =>
  writeFileSync(stateFile(dir), JSON.stringify(state, null, 2) + '\n', {mode: 0o600})

/**
 * The port a stopped sandbox was built on may have been taken since (another sandbox, a server):
 * it moves to a free one, and commands find it there (they read its URL from the state file).
 */
async function keepPortFree(dir: string, state: SandboxState, step: (step: string) => void): Promise<void> {
  const port = await freePort(state.port)
  if (port === state.port) return
  step(`port ${state.port} is taken by another program: the sandbox moves to ${port}`)
  state.port = port
  state.url = clusterUrl(specFor(dir, state), state.database)
  saveState(dir, state)
}

export async function createDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  const session = await openSession(resolveTarget(adminUrl))
  try {
    const {
      rows: [{sql}],
    } = await session.client.query(query('db/create-database-statement').text, [name, template ?? null])
    await session.client.query(sql)
  } finally {
    await session.close()
  }
}

export async function stopSandbox(): Promise<boolean> {
  const dir = sandboxDir()
  const state = readState(dir)
  if (!state || !postmasterPid(dataDir(dir))) return false
  await stopNodes(sandboxNodes(specFor(dir, state), state))
  return true
}

/** Stops the sandbox and deletes its data; the next start builds it anew. */
export async function resetSandbox(): Promise<void> {
  const dir = sandboxDir()
  assertOurs(dir)
  await stopSandbox()
  rmSync(dataDir(dir), {recursive: true, force: true})
  for (const worker of readState(dir)?.citus?.workers ?? []) rmSync(worker.dir, {recursive: true, force: true})
  rmSync(stateFile(dir), {force: true})
}

/**
 * A data directory without the sandbox's state file beside it was not made by the sandbox (say
 * FLUXADMIN_SANDBOX_DIR=/var/lib/pgsql/15, whose data is a real cluster): it is never deleted.
 */
function assertOurs(dir: string): void {
  if (existsSync(dataDir(dir)) && !existsSync(stateFile(dir)) && readdirSync(dataDir(dir)).length > 0) {
    throw conflict(
      `${dataDir(dir)} is not the sandbox's (no ${stateFile(dir)} beside it): it is left as it is`,
      'point FLUXADMIN_SANDBOX_DIR at a new or empty directory, or delete that data directory yourself if it is a sandbox of an older version',
    )
  }
}

export function sandboxUrl(): string {
  const state = readState(sandboxDir())
  if (!state)
    throw new FluxError('the sandbox has not been created', {kind: 'not_found', hint: 'run `fluxadmin sandbox start`'})
  return state.url
}
