import {accessSync, constants} from 'node:fs'
import {delimiter, join} from 'node:path'

/**
 * The pager for long tables on a terminal, as git chooses it: FLUXADMIN_PAGER, else PAGER, else
 * `less -FRX` when less is installed; an empty value (or `cat`) means none.
 */
export function pagerCommand(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const name of ['FLUXADMIN_PAGER', 'PAGER']) {
    if (env[name] === undefined) continue
    const command = env[name]!.trim()
    return command === '' || command === 'cat' ? undefined : command
  }
  return onPath('less', env) ? 'less -FRX' : undefined
}

function onPath(program: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, program), constants.X_OK)
      return true
    } catch {
      return false
    }
  })
}

/** Writes text through the pager and waits until it exits; false when the pager could not start. */
export async function page(text: string, command: string): Promise<boolean> {
  const {spawn} = await import('node:child_process')
  // Ctrl-C inside the pager reaches us too: the pager decides when we are done (as git does).
  const ignore = () => {}
  process.on('SIGINT', ignore)
  try {
    return await new Promise<boolean>((resolve) => {
      const child = spawn(command, {
        shell: true,
        stdio: ['pipe', 'inherit', 'inherit'],
        env: {LESS: 'FRX', ...process.env},
      })
      child.on('error', () => resolve(false))
      child.on('close', (code) => resolve(code !== 127))
      // The reader may quit before reading everything.
      child.stdin.on('error', () => {})
      child.stdin.end(text)
    })
  } finally {
    process.off('SIGINT', ignore)
  }
}
