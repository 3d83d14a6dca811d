import {readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'
import {dataDir, postmasterPid} from '../cluster/postmaster.js'

/** What `sandbox start` records so that other commands can find the cluster. */
export interface SandboxState {
  port: number
  user: string
  password: string
  database: string
  binDir: string
  binSource: 'system' | 'embedded'
  runAs?: string
  size: string
  url: string
  /** A Citus sandbox (`sandbox start --citus`): its workers; the coordinator is the cluster above. */
  citus?: {workers: Array<{dir: string; port: number}>}
  /** False until migrate and seed finished: a sandbox that is not ready is rebuilt on start. */
  ready: boolean
}

/**
 * Per-user directory. Root's home is closed to the unprivileged server user, so root's sandbox
 * lives under /var/lib, owned by that user.
 */
export function sandboxDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FLUXADMIN_SANDBOX_DIR) return env.FLUXADMIN_SANDBOX_DIR
  if (process.getuid?.() === 0) return '/var/lib/fluxadmin/sandbox'
  const base = env.XDG_DATA_HOME || join(homedir(), '.local', 'share')
  return join(base, 'fluxadmin', 'sandbox')
}

export const stateFile = (dir: string) => join(dir, 'sandbox.json')

export function readState(dir: string): SandboxState | undefined {
  try {
    return JSON.parse(readFileSync(stateFile(dir), 'utf8')) as SandboxState
  } catch {
    return undefined
  }
}

/** The sandbox's state when its server is running; cheap enough for every command's start-up. */
export function runningSandbox(env: NodeJS.ProcessEnv = process.env): SandboxState | undefined {
  const dir = sandboxDir(env)
  const state = readState(dir)
  if (!state || !postmasterPid(dataDir(dir))) return undefined
  return state
}
