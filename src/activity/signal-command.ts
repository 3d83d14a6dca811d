import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {confirm} from '../output/confirm.js'
import {humanDuration} from '../output/human.js'
import {oneLineSafe} from '../output/terminal-safe.js'
import {oneLine} from '../util/text.js'
import {parseDuration} from '../util/time.js'
import {
  BACKEND_STATES,
  type BackendSelection,
  type BackendSignal,
  type BackendState,
  type BackendTarget,
  parsePid,
  signalBackends,
} from './backend.js'

/** The pid argument of `backend cancel` / `backend terminate`: optional when filters say which sessions. */
// A string parsed here: oclif's own integer parse errors would not map to exit 2.
export const pidArg = {
  pid: Args.string({
    description: 'Process id of the server process (see `fluxadmin activity`); or leave it out and select by filters.',
  }),
}

/** The filters of both backend verbs; they combine (all must match), with or without a pid. */
export const selectionFlags = {
  user: Flags.string({summary: 'Only sessions of this role (exact name); repeatable.', multiple: true}),
  state: Flags.option({
    options: Object.keys(BACKEND_STATES) as BackendState[],
    multiple: true,
    summary: 'Only sessions in this state; repeatable.',
  })(),
  'idle-for': Flags.string({
    summary:
      'Only sessions whose current state has lasted at least this long (idle: since the last statement ended): 30s, 5m, 1h.',
  }),
  application: Flags.string({
    summary: 'Only sessions whose application_name is exactly this; repeatable.',
    multiple: true,
  }),
}

interface SignalFlags {
  yes?: boolean
  'dry-run'?: boolean
  actor?: string
  user?: string[]
  state?: BackendState[]
  'idle-for'?: string
  application?: string[]
}

export function selectionFrom(pid: string | undefined, flags: SignalFlags): BackendSelection {
  return {
    pids: pid === undefined ? undefined : [parsePid(pid)],
    users: flags.user,
    states: flags.state,
    applications: flags.application,
    idleForMs: flags['idle-for'] === undefined ? undefined : parseDuration(flags['idle-for'], '--idle-for'),
  }
}

/** One line per session, for the list shown before the question. */
function previewLine(t: BackendTarget): string {
  const cells = [
    `pid ${t.pid}`,
    t.user && `user ${t.user}`,
    t.database && `db ${t.database}`,
    t.application && `app ${t.application}`,
    t.client,
    t.state && `${t.state}${t.state_s === null ? '' : ` ${humanDuration(t.state_s * 1000)}`}`,
    t.blocking_total > 0 && `blocks ${t.blocking_total}`,
  ]
  return oneLineSafe(`  ${cells.filter(Boolean).join('  ')}  ${oneLine(t.query ?? '').slice(0, 60)}`)
}

/** What both backend verbs do: show the sessions, confirm on a terminal (or --yes), signal them in one statement, audit each. */
export function signalFromCli(
  session: Parameters<typeof signalBackends>[0],
  signal: BackendSignal,
  pid: string | undefined,
  flags: SignalFlags,
) {
  return signalBackends(session, {
    selection: selectionFrom(pid, flags),
    signal,
    dryRun: flags['dry-run'],
    actor: flags.actor,
    confirm: (what, targets) => {
      if (targets.length > 1 && !flags.yes && !flags['dry-run'] && process.stdin.isTTY && process.stderr.isTTY) {
        process.stderr.write(`${targets.length} sessions:\n${targets.map(previewLine).join('\n')}\n`)
      }
      return confirm(what, {yes: flags.yes, dryRun: flags['dry-run']})
    },
  })
}

export const SIGNAL_COLUMNS = [
  'pid',
  'action',
  'user',
  'database',
  'application',
  'client',
  'state',
  'state_s',
  'blocking',
  'blocking_total',
  'query',
  'audit_id',
]
export const SIGNAL_PRIORITY = ['pid', 'action', 'user', 'state', 'state_s', 'blocking_total', 'application', 'query']
