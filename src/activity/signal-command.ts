import * as Args from '@oclif/core/args'
import {confirm} from '../output/confirm.js'
import {type BackendSignal, parsePid, signalBackend} from './backend.js'

/** The pid argument of `backend cancel` / `backend terminate`. */
// A string parsed here: oclif's own integer parse errors would not map to exit 2.
export const pidArg = {pid: Args.string({description: 'Process id of the server process (see `fluxadmin activity`).', required: true})}

/** What both backend verbs do: confirm on a terminal (or --yes), signal, audit. */
export function signalFromCli(session: Parameters<typeof signalBackend>[0], signal: BackendSignal, pid: string, flags: {yes?: boolean; 'dry-run'?: boolean; actor?: string}) {
  return signalBackend(session, {
    pid: parsePid(pid), signal, dryRun: flags['dry-run'], actor: flags.actor,
    confirm: (what) => confirm(what, {yes: flags.yes, dryRun: flags['dry-run']}),
  })
}

export const SIGNAL_COLUMNS = ['pid', 'action', 'user', 'database', 'application', 'state', 'query', 'audit_id']
