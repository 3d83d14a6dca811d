import {Command} from '@oclif/core/command'
import * as Flags from '@oclif/core/flags'
import {mapDbError} from './db/errors.js'
import {cancelAndClose} from './db/interrupt.js'
import {escapedValues} from './db/raw-text.js'
import {hideSecretsFromProcessList, redact} from './db/redact.js'
import {readSession, type ReplicaOptions} from './db/replica.js'
import {describeTarget, resolveTarget, type Target} from './db/resolve.js'
import {DEFAULT_SETTINGS, openSession, type Session} from './db/session.js'
import {ExitCode, isFluxError, MonitorCode} from './errors.js'
import {defaultFormat, useColor, type Column, type Format, type Rows} from './output/format.js'
import {escapedNote, note, printError, watchStdout} from './output/messages.js'
import {resolveOut} from './output/out-path.js'
import {pagerCommand} from './output/pager.js'
import {render, renderDocument} from './output/render.js'
import {runningSandbox} from './sandbox/state.js'
import {setKeepGoing} from './util/signals.js'
import {oneLine} from './util/text.js'
import {parseDuration} from './util/time.js'

interface ConnectionFlagValues {
  'db-url'?: string
  'statement-timeout'?: string
  /** Checked before connecting, so a bad --out fails before any work. */
  out?: string
}

interface OutputFlagValues {
  format?: string
  json?: boolean
  out?: string
  header?: boolean
  'csv-raw'?: boolean
  wide?: boolean
  expanded?: boolean
  pager?: boolean
}

/**
 * Shared by every command: opens sessions, renders rows, and turns every known failure into one
 * line, a hint and a documented exit code. A stack trace only with --debug or DEBUG=fluxadmin*.
 */
export abstract class BaseCommand extends Command {
  static override baseFlags = {
    debug: Flags.boolean({
      summary: 'Print stack traces and connection details (passwords redacted).',
      env: 'FLUXADMIN_DEBUG',
      helpGroup: 'GLOBAL',
    }),
  }

  /** Exit codes follow the monitoring convention: a database error is 3 (UNKNOWN), not 6. */
  static monitoring = false

  private sessions: Session[] = []
  private jsonErrors = false

  override async init(): Promise<void> {
    hideSecretsFromProcessList()
    watchStdout()
    await super.init()
  }

  /** Set by a signal: the error of the statement it cancels is not reported. */
  private interrupted = false

  protected async connect(flags: ConnectionFlagValues, replica?: Target): Promise<Session> {
    await resolveOut(flags.out)
    const target = replica ?? resolveTarget(flags['db-url'], process.env, () => runningSandbox()?.url)
    if (target.source === 'sandbox')
      note(`using the sandbox at ${describeTarget(target)} (no --db-url, DATABASE_URL or PG* variables)`)
    if (this.debugEnabled())
      note(`connecting to ${describeTarget(target)} as ${target.user} (source: ${target.source})`)
    // 0 would mean no timeout at all; PostgreSQL takes at most INT_MAX milliseconds.
    const statementTimeoutMs = parseDuration(flags['statement-timeout'] ?? '30s', '--statement-timeout', {
      minMs: 1,
      maxMs: 24 * 86_400_000,
    })
    const session = await openSession(target, {...DEFAULT_SETTINGS, statementTimeoutMs})
    this.sessions.push(session)
    if (this.sessions.length === 1) {
      for (const signal of SIGNALS) process.on(signal, this.onSignal)
      setKeepGoing(this.keepGoing)
    }
    return session
  }

  /** Read-only commands: the session on --replica when it is reachable and within --max-lag, else on the primary (src/db/replica.ts). */
  protected async connectForReads(flags: ConnectionFlagValues & ReplicaOptions): Promise<Session> {
    return readSession(flags, {
      primary: () => this.connect(flags),
      replica: (target) => this.connect(flags, target),
      note,
    })
  }

  /** Set by a signal that came once a change had committed: the command finishes (exit 0), having said so. */
  private finishing?: NodeJS.Signals

  /**
   * A signal after a COMMIT returned (or while one is in flight, which is waited for), with no
   * change open: the change stands, so the command finishes what it prints instead of reporting a
   * cancel; a read under way finishes, a later transaction is refused. A second signal stops it all the same.
   */
  private keepGoing = async (signal: NodeJS.Signals): Promise<boolean> => {
    if (this.finishing || this.interrupted) return false
    await Promise.all(this.sessions.map((s) => s.activity.committing?.catch(() => {})))
    if (
      this.finishing ||
      !this.sessions.some((s) => s.activity.committed > 0) ||
      this.sessions.some((s) => s.activity.open === 'change')
    )
      return false
    this.finishing = signal
    for (const s of this.sessions) s.activity.stopped = signal
    process.stderr.write(`interrupted (${signal}) after the change was committed: it stands; finishing its output\n`)
    return true
  }

  /** Ctrl-C or kill: the server's work is cancelled before the process exits (130 / 143). */
  private onSignal = async (signal: NodeJS.Signals) => {
    // A command's own handler (backup verify, an --out temp file) goes first; it stops the work or raises the signal again.
    if (process.listenerCount(signal) > 1) return
    if (await this.keepGoing(signal)) return
    this.interrupted = true
    await Promise.all(this.sessions.map((s) => cancelAndClose(s)))
    process.stderr.write(`interrupted (${signal}): the statement running on the server was cancelled\n`)
    process.exit(128 + (signal === 'SIGINT' ? 2 : 15))
  }

  protected outputFormat(flags: OutputFlagValues): Format {
    if (flags.json) this.jsonErrors = true
    return (
      ((flags.json ? 'json' : flags.format) as Format | undefined) ??
      defaultFormat(Boolean(process.stdout.isTTY), toFile(flags.out))
    )
  }

  protected async output(
    rows: Rows,
    flags: OutputFlagValues & {gzip?: boolean},
    options: {columns?: Array<string | Column>; priority?: string[]} = {},
  ): Promise<number> {
    const format = this.outputFormat(flags)
    const toTerminal = !toFile(flags.out) && Boolean(process.stdout.isTTY)
    const pager = toTerminal && flags.pager !== false ? pagerCommand() : undefined
    return render(rows, {
      format,
      out: toFile(flags.out),
      gzip: flags.gzip || /\.gz$/.test(flags.out ?? ''),
      header: flags.header ?? true,
      csvProtect: !flags['csv-raw'],
      color: toTerminal && useColor(process.stdout),
      columns: options.columns,
      priority: options.priority,
      width: toFile(flags.out) ? undefined : terminalWidth(),
      wide: flags.wide,
      expanded: flags.expanded,
      pager: pager ? {command: pager, height: process.stdout.rows || 24} : undefined,
    })
  }

  /** One JSON document to stdout or --out, for commands whose JSON form is an object rather than rows. */
  protected async outputDocument(value: unknown, flags: OutputFlagValues & {gzip?: boolean}): Promise<void> {
    await renderDocument(value, {out: toFile(flags.out), gzip: flags.gzip || /\.gz$/.test(flags.out ?? '')})
  }

  protected debugEnabled(): boolean {
    return (
      process.argv.includes('--debug') ||
      /(^|,)\s*fluxadmin/.test(process.env.DEBUG ?? '') ||
      process.env.FLUXADMIN_DEBUG === 'true'
    )
  }

  override async catch(error: Error & {exitCode?: number}): Promise<void> {
    // The reader went away (`| head`): stop quietly, as Unix tools do.
    if ((error as NodeJS.ErrnoException).code === 'EPIPE' || this.interrupted) return
    // A refused flag leaves the command unparsed; oclif would add a warning about it (NODE_ENV=development|test).
    this.parsed = true
    const mapped = mapDbError(error) as Error & {oclif?: {exit?: number}; hint?: string; kind?: string; code?: string}
    let exit: number
    let message: string
    let hint: string | undefined
    let code: string
    if (isFluxError(mapped)) {
      exit = mapped.exitCode
      message = mapped.message
      hint = mapped.hint
      code = mapped.kind
    } else if (FLAG_PARSE.test(mapped.message)) {
      const [, flag, reason] = FLAG_PARSE.exec(mapped.message)!
      exit = ExitCode.usage
      message = `invalid --${flag}: ${reason.trim()}`
      hint = 'see --help'
      code = 'usage'
    } else if (mapped.oclif?.exit !== undefined && isOclifUsage(mapped)) {
      exit = mapped.oclif.exit === 2 ? ExitCode.usage : mapped.oclif.exit
      // oclif's text: an optional "The following error(s) occurred:" heading, the errors (a line ending in ':'
      // continues on the next one), then "See more help with --help". One line of it is enough.
      message = oneLine(
        mapped.message
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l && !/^The following errors? occurred:$|^See more help with --help$/.test(l))
          .reduce((said, l) => (said ? `${said}${said.endsWith(':') ? ' ' : '; '}${l}` : l), ''),
      )
      hint = 'see --help'
      code = 'usage'
    } else if ((mapped as {code?: string}).code === 'EEXIT') {
      process.exitCode = mapped.oclif?.exit ?? 0
      return
    } else {
      exit = ExitCode.unexpected
      message = `unexpected error: ${mapped.message}`
      hint = 'this is a bug in fluxadmin; rerun with --debug for the stack trace and report it'
      code = 'unexpected'
    }
    // A monitoring command (0 OK .. 3 UNKNOWN) that could not read what it checks (permission denied, a timeout) is UNKNOWN.
    if ((this.constructor as typeof BaseCommand).monitoring && exit === ExitCode.database) exit = MonitorCode.unknown
    message = redact(message)
    hint = hint ? redact(hint) : undefined
    printError(
      {code, message, hint, exit},
      {
        json: this.jsonErrors || this.argv.includes('--json'),
        stack: this.debugEnabled() && error.stack ? redact(error.stack) : undefined,
      },
    )
    process.exitCode = exit
  }

  override async finally(error: Error | undefined): Promise<void> {
    const escaped = escapedNote(escapedValues())
    if (escaped) note(escaped)
    await Promise.all(this.sessions.map((s) => s.close()))
    this.sessions = []
    for (const signal of SIGNALS) process.off(signal, this.onSignal)
    return super.finally(error)
  }
}

/** `--out -` is stdout. */
const toFile = (out: string | undefined) => (out === '-' ? undefined : out)

/** COLUMNS overrides the terminal's width; a pipe without COLUMNS has none (cells whole). */
function terminalWidth(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const columns = Number(env.COLUMNS)
  if (Number.isInteger(columns) && columns > 0) return columns
  return process.stdout.isTTY ? process.stdout.columns || 80 : undefined
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const

/** A flag value its parser refused (`Flags.integer` bounds, custom parse functions): oclif only prefixes the message. */
const FLAG_PARSE = /^Parsing --([\w-]+)\s*\n\t([^\n]*)/

function isOclifUsage(error: Error): boolean {
  // Parser errors (unknown flag, bad option value, missing argument) carry oclif exit code 2.
  return /Parse|Flag|Arg|Validation|Unexpected argument|Nonexistent/i.test(error.constructor.name + ' ' + error.message)
}
