import {spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {runCli, type CliResult} from './cli.js'

/** Whether strace can trace here (it needs ptrace). */
export const canTrace = spawnSync('strace', ['-o', '/dev/null', 'true']).status === 0

/** Runs the CLI under strace, recording fsync and rename calls with the paths of their descriptors. */
export async function traceCli(args: string[], traceDir: string): Promise<CliResult & {calls: string[]}> {
  const trace = join(traceDir, `strace-${process.pid}-${Date.now()}`)
  const result = await runCli(args, {
    wrap: ['strace', '-f', '-qq', '-y', '-e', 'trace=fsync,fdatasync,rename,renameat,renameat2', '-o', trace],
    timeoutMs: 120_000,
  })
  return {...result, calls: completedCalls(readFileSync(trace, 'utf8'))}
}

/** Successful calls, each on one line: strace splits a call that another thread's call interrupts (`<unfinished ...>`, `<... resumed>`). */
function completedCalls(trace: string): string[] {
  const pending = new Map<string, string>()
  const calls: string[] = []
  for (const line of trace.split('\n')) {
    const [, pid, text] = /^(\d+) +(.*)$/.exec(line) ?? []
    if (!pid) continue
    if (text.endsWith(' <unfinished ...>')) {
      pending.set(pid, text.slice(0, -' <unfinished ...>'.length))
      continue
    }
    const resumed = /^<\.\.\. \w+ resumed>(.*)$/.exec(text)
    const call = resumed ? (pending.get(pid) ?? '') + resumed[1] : text
    pending.delete(pid)
    if (/= 0$/.test(call)) calls.push(call)
  }
  return calls
}

/**
 * What a durable replace of `final` looks like in the calls: its temporary file synced, renamed onto
 * `final`, then the directory synced: 'durable', or what is missing.
 */
export function durableReplace(calls: string[], final: string): string {
  const rename = calls.findIndex((c) => new RegExp(`^rename(at2?)?\\(.*"([^"]+)", .*"${escape(final)}"`).test(c))
  if (rename < 0) return `no rename onto ${final}`
  const temp = /"([^"]+)"/.exec(calls[rename])![1]
  if (!calls.slice(0, rename).some((c) => c.startsWith(`fsync(`) && c.includes(`<${temp}>`)))
    return `${temp} not synced before its rename`
  if (!calls.slice(rename + 1).some((c) => c.startsWith('fsync(') && c.includes(`<${dirname(final)}>`)))
    return `${dirname(final)} not synced after the rename`
  return 'durable'
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
