import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {processAlive} from '../util/pid.js'

/** A cluster fluxadmin owns keeps its data directory here, inside the cluster's own directory. */
export const dataDir = (dir: string) => join(dir, 'data')

/** The postmaster's pid when the cluster is up (postmaster.pid names a live process). */
export function postmasterPid(data: string): number | undefined {
  const file = join(data, 'postmaster.pid')
  if (!existsSync(file)) return undefined
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0])
  return processAlive(pid) ? pid : undefined
}
