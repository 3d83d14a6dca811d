import {Args} from '@oclif/core'
import {confirm} from '../output/confirm.js'
import {type BackendSignal, signalBackend} from './backend.js'

/** The pid argument of `backend cancel` / `backend terminate`. */
export const pidArg = {pid: Args.integer({description: 'Process id of the server process (see `fluxadmin activity`).', required: true, min: 1})}

/** What both backend verbs do: confirm on a terminal (or --yes), signal, audit. */
export function signalFromCli(session: Parameters<typeof signalBackend>[0], signal: BackendSignal, pid: number, flags: {yes?: boolean; 'dry-run'?: boolean; actor?: string}) {
  return signalBackend(session, {
    pid, signal, dryRun: flags['dry-run'], actor: flags.actor,
    confirm: (what) => confirm(what, {yes: flags.yes, dryRun: flags['dry-run']}),
  })
}

export const SIGNAL_COLUMNS = ['pid', 'action', 'user', 'database', 'application', 'state', 'query', 'audit_id']
