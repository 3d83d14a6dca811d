import {oneLineSafe} from './terminal-safe.js'

/** Notes and errors for people: always on stderr, except errors in JSON mode (stdout, machine-readable). */
export function note(text: string): void {
  process.stderr.write(`fluxadmin: ${text}\n`)
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
  process.stdout.on('error', () => { stdoutFailed = true })
}

export function printError(raw: PrintableError, options: {json: boolean; stack?: string}): void {
  const error = {...raw, message: clipEchoes(raw.message), hint: raw.hint && clipEchoes(raw.hint)}
  // A stdout that failed (the error being reported, often) cannot take it: stderr then, as text.
  if (options.json && !stdoutFailed) process.stdout.write(JSON.stringify({error: {code: error.code, message: error.message, hint: error.hint ?? null, exit: error.exit}}) + '\n')
  else process.stderr.write(`Error: ${oneLineSafe(error.message)}\n${error.hint ? `Hint: ${oneLineSafe(error.hint)}\n` : ''}`)
  if (options.stack) process.stderr.write(options.stack + '\n')
}
