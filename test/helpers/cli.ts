import {spawn} from 'node:child_process'
import {fileURLToPath} from 'node:url'

const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** Spawns the built CLI (bin/run.js) as a user would, with a clean environment (`wrap`: under another program, as strace). */
export function runCli(args: string[], options: {env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number; wrap?: string[]; cwd?: string} = {}): Promise<CliResult> {
  const [command, ...prefix] = [...options.wrap ?? [], process.execPath]
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...prefix, BIN, ...args], {
      env: {...process.env, NO_COLOR: '1', ...options.env},
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => { stdout += d })
    child.stderr.on('data', (d) => { stderr += d })
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({code: code ?? -1, stdout, stderr})
    })
    child.stdin.end(options.input ?? '')
  })
}

/** runCli against a database (`--db-url`) with JSON output (`--format json`). */
export const cliJson = (db: {url: string}, ...args: string[]) => runCli([...args, '--db-url', db.url, '--format', 'json'])
