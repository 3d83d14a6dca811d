import {spawn} from 'node:child_process'
import {fileURLToPath} from 'node:url'

const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

/** CLI processes this test file started, for `node test/run.js --timing` (test/helpers/file-timing.js reads it). */
const counted = globalThis as {fluxadminCliRuns?: number}
const countRun = () => {
  counted.fluxadminCliRuns = (counted.fluxadminCliRuns ?? 0) + 1
}

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** Spawns the built CLI (bin/run.js) as a user would, with a clean environment (`wrap`: under another program, as strace). */
export function runCli(
  args: string[],
  options: {
    env?: NodeJS.ProcessEnv
    input?: string | Buffer
    timeoutMs?: number
    wrap?: string[]
    cwd?: string
    stdout?: number
  } = {},
): Promise<CliResult> {
  const [command, ...prefix] = [...(options.wrap ?? []), process.execPath]
  countRun()
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...prefix, BIN, ...args], {
      env: {...process.env, NO_COLOR: '1', ...options.env},
      cwd: options.cwd,
      // `stdout`: a file descriptor to write to instead of the pipe (one open on /dev/full).
      stdio: ['pipe', options.stdout ?? 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (d) => {
      stdout += d
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({code: code ?? -1, stdout, stderr})
    })
    // A child that stops reading early (a refused input) closes the pipe: not this process's error.
    child.stdin.on('error', () => {})
    child.stdin.end(options.input ?? '')
  })
}

/** Starts the CLI in the background (to signal or kill it): its child, its exit, and its stderr so far. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  countRun()
  const child = spawn(process.execPath, [BIN, ...args], {
    env: {...process.env, NO_COLOR: '1', ...env},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', (d) => {
    stderr += d
  })
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code, signal) => resolve(code ?? (signal ? -1 : null))),
  )
  return {child, exited, stderr: () => stderr}
}

/** Polls until check() is true; false after timeoutMs (generous: the machine is shared). */
export async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  for (const end = Date.now() + timeoutMs; Date.now() < end;) {
    if (await check()) return true
    await new Promise((r) => setTimeout(r, 50))
  }
  return check()
}

/** runCli against a database (`--db-url`) with JSON output (`--format json`). */
export const cliJson = (db: {url: string}, ...args: string[]) =>
  runCli([...args, '--db-url', db.url, '--format', 'json'])
