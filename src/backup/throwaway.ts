import {existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {postmasterPid} from '../cluster/postmaster.js'
import {processAlive} from '../util/pid.js'

const OWNER = 'fluxadmin.owner'
/** A directory without an owner file is one being made, unless it is older than this. */
const MAKING_MS = 10 * 60_000
const STOP_WAIT_MS = 15_000

/** Marks a throwaway server's directory as this process's, for reapThrowaways. */
export function markThrowaway(dir: string): void {
  writeFileSync(join(dir, OWNER), `${process.pid}\n`, {mode: 0o644})
}

/**
 * Throwaway servers (a verify's --scratch cluster, a PITR drill's restore) of runs killed without a
 * chance to clean up (SIGKILL, the OOM killer) keep running, holding memory and a port, and keep their
 * directory. Under `parent`, each `prefixXXXXXX` directory (as mkdtemp names them) whose owner is gone: its postmaster gets SIGQUIT
 * (immediate shutdown: the data is thrown away anyway), then the directory goes. Returns what was done.
 */
export async function reapThrowaways(parent: string, prefix: string): Promise<string[]> {
  const done: string[] = []
  let entries: string[]
  try {
    // mkdtemp's names: the prefix and six characters, nothing else.
    entries = readdirSync(parent).filter(
      (e) => e.length === prefix.length + 6 && e.startsWith(prefix) && /^[A-Za-z0-9]{6}$/.test(e.slice(prefix.length)),
    )
  } catch {
    return done
  }
  for (const entry of entries) {
    const dir = join(parent, entry)
    const state = ownerState(dir)
    if (state === 'owned') continue
    const servers = postmasters(dir)
    // Without an owner file (being made, or made by an older version) a running server is left alone.
    if (state === 'unmarked' && servers.length > 0) continue
    for (const pid of servers) process.kill(pid, 'SIGQUIT')
    if (!(await gone(servers))) {
      done.push(`the server of ${dir} (a killed run's) did not stop: left as it is`)
      continue
    }
    rmSync(dir, {recursive: true, force: true})
    done.push(
      `removed ${dir}${servers.length > 0 ? `, and stopped its server (pid ${servers.join(', ')})` : ''}, left by a run that was killed`,
    )
  }
  return done
}

function ownerState(dir: string): 'owned' | 'abandoned' | 'unmarked' {
  try {
    const pid = Number(readFileSync(join(dir, OWNER), 'utf8').trim())
    return Number.isInteger(pid) && pid > 0 && processAlive(pid) ? 'owned' : 'abandoned'
  } catch {
    try {
      return statSync(dir).isDirectory() && Date.now() - statSync(dir).mtimeMs > MAKING_MS ? 'unmarked' : 'owned'
    } catch {
      return 'owned'
    }
  }
}

/**
 * Running postmasters of the data directories in dir, up to two levels down (a PITR drill's
 * `data`, a scratch cluster's `cluster/data`), checked against their command line: pids get reused.
 */
function postmasters(dir: string, depth = 2): number[] {
  const pids: number[] = []
  let entries
  try {
    entries = readdirSync(dir, {withFileTypes: true})
  } catch {
    return pids
  }
  for (const entry of entries) {
    if (!entry.isDirectory()) continue
    const data = join(dir, entry.name)
    if (!existsSync(join(data, 'postmaster.pid'))) {
      if (depth > 1) pids.push(...postmasters(data, depth - 1))
      continue
    }
    const pid = postmasterPid(data)
    if (pid && commandLine(pid).includes(data)) pids.push(pid)
  }
  return pids
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')
  } catch {
    return ''
  }
}

async function gone(pids: number[]): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < STOP_WAIT_MS;) {
    if (!pids.some(processAlive)) return true
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return !pids.some(processAlive)
}
