import * as Errors from '@oclif/core/errors'

/** Exit codes shared by every command (README.md documents them). */
export const ExitCode = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  connection: 3,
  notFound: 4,
  conflict: 5,
  database: 6,
} as const

/** Monitoring convention used by health checks (Nagios plugin API). */
export const MonitorCode = {ok: 0, warning: 1, critical: 2, unknown: 3} as const

export type ErrorKind = 'usage' | 'connection' | 'not_found' | 'conflict' | 'database' | 'missing_extension' | 'failed'

/**
 * An error the user can act on: one line, a hint, and the exit code.
 * Everything else reaching the top level is a bug and exits 1.
 */
export class FluxError extends Errors.CLIError {
  readonly kind: ErrorKind
  readonly hint?: string
  readonly exitCode: number

  constructor(message: string, options: {kind: ErrorKind; hint?: string; exit?: number; sqlstate?: string}) {
    const exit = options.exit ?? exitFor(options.kind)
    super(message, {
      exit,
      suggestions: options.hint ? [options.hint] : undefined,
      code: options.sqlstate ?? options.kind,
    })
    this.name = 'FluxError'
    this.kind = options.kind
    this.hint = options.hint
    this.exitCode = exit
  }
}

function exitFor(kind: ErrorKind): number {
  switch (kind) {
    case 'usage':
      return ExitCode.usage
    case 'connection':
      return ExitCode.connection
    case 'not_found':
      return ExitCode.notFound
    case 'conflict':
      return ExitCode.conflict
    case 'database':
    case 'missing_extension':
      return ExitCode.database
    case 'failed':
      return ExitCode.unexpected
  }
}

/** Also true for a FluxError from a lazily loaded copy of this module (the bundle vs dist/). */
export function isFluxError(error: unknown): error is FluxError {
  return error instanceof Error && error.name === 'FluxError' && 'exitCode' in error
}

export const usageError = (message: string, hint?: string) => new FluxError(message, {kind: 'usage', hint})
export const notFound = (message: string, hint?: string) => new FluxError(message, {kind: 'not_found', hint})
export const conflict = (message: string, hint?: string) => new FluxError(message, {kind: 'conflict', hint})
