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

export function printError(error: PrintableError, options: {json: boolean; stack?: string}): void {
  if (options.json) process.stdout.write(JSON.stringify({error: {code: error.code, message: error.message, hint: error.hint ?? null, exit: error.exit}}) + '\n')
  else process.stderr.write(`Error: ${error.message}\n${error.hint ? `Hint: ${error.hint}\n` : ''}`)
  if (options.stack) process.stderr.write(options.stack + '\n')
}
