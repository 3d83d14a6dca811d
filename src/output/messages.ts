import {oneLineSafe} from './terminal-safe.js'

/** What starts every note, so that a caller can fit the rest of the line to a terminal. */
export const NOTE_PREFIX = 'fluxadmin: '

/** Notes and errors for people: always on stderr, except errors in JSON mode (stdout, machine-readable). */
export function note(text: string): void {
  process.stderr.write(`${NOTE_PREFIX}${text}\n`)
}

/** Something to act on, though the command did its work. */
export function warn(text: string): void {
  note(`warning: ${text}`)
}

/** Figures a command left out rather than wait behind a lock (src/db/lock-guard.ts): a warning each, names made safe. */
export function warnSkipped(lines: string[]): void {
  for (const line of lines) warn(oneLineSafe(line))
}

/** Progress lines for a terminal; none for cron and pipes, which get the result alone. */
export function progressNotes(): ((text: string) => void) | undefined {
  return process.stderr.isTTY ? note : undefined
}

/** The one hint of every paged command: pass it back to get the following page. */
export function nextPage(cursor: string): void {
  note(`next page: --cursor ${cursor}`)
}

export interface PrintableError {
  code: string
  message: string
  hint?: string
  exit: number
}

const MAX_WORD = 200
const MAX_MESSAGE = 1000

/** Echoed input cut to size: any run of 200+ non-space characters, and the whole text past 1000, with a note. */
export function clipEchoes(text: string): string {
  const note = (n: number) => `… (${n} more characters)`
  const words = text.replace(/\S{201,}/g, (word) => word.slice(0, MAX_WORD) + note(word.length - MAX_WORD))
  return words.length > MAX_MESSAGE ? words.slice(0, MAX_MESSAGE) + note(words.length - MAX_MESSAGE) : words
}

let stdoutFailed = false

/**
 * oclif's own listener rethrows every stdout error but EPIPE, as an uncaught exception with a
 * stack trace (`> /dev/full`: ENOSPC). The writes that fail reject on their own (output/sink.ts)
 * and become one line with exit 4; the event only marks stdout as unable to take the error itself.
 */
export function watchStdout(): void {
  process.stdout.removeAllListeners('error')
  process.stdout.on('error', () => {
    stdoutFailed = true
  })
}

export function printError(raw: PrintableError, options: {json: boolean; stack?: string}): void {
  const error = {...raw, message: clipEchoes(raw.message), hint: raw.hint && clipEchoes(raw.hint)}
  // A stdout that failed (the error being reported, often) cannot take it: stderr then, as text.
  if (options.json && !stdoutFailed)
    process.stdout.write(
      JSON.stringify({error: {code: error.code, message: error.message, hint: error.hint ?? null, exit: error.exit}}) +
        '\n',
    )
  else
    process.stderr.write(
      `Error: ${oneLineSafe(error.message)}\n${error.hint ? `Hint: ${oneLineSafe(error.hint)}\n` : ''}`,
    )
  if (options.stack) process.stderr.write(options.stack + '\n')
}

/** The end-of-command note when text from a SQL_ASCII database had bytes that are not UTF-8 (db/raw-text.ts). */
export function escapedNote({values, more}: {values: string[]; more: boolean}): string | undefined {
  if (values.length === 0) return undefined
  const shown = values.map((v) => `"${oneLineSafe(clipEchoes(v))}"`).join(', ')
  return `values with bytes that are not UTF-8 (the database is SQL_ASCII) are shown with those bytes as \\xNN: ${shown}${more ? ' and others' : ''}; correct them with the matching update command`
}
