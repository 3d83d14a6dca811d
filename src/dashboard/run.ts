import type {ActivityFilter} from '../activity/sessions.js'
import {describeTarget} from '../db/resolve.js'
import type {Session} from '../db/session.js'
import {createPoller} from './poller.js'

export interface RunOptions {
  /** The session opened (and checked) by the command. */
  session: Session
  /** Opens a new one after the connection dropped. */
  reconnect: () => Promise<Session>
  intervalMs: number
  filter: ActivityFilter
  actor?: string
}

const ALT_SCREEN_ON = '\u001B[?1049h\u001B[H'
const ALT_SCREEN_OFF = '\u001B[?1049l'

/** Full-screen live view until the user quits; restores the terminal (main screen, cursor) on the way out. */
export async function runDashboard(options: RunOptions): Promise<void> {
  // This runs only on a terminal. Ink reads CI/CI_* once, at import, and would then draw nothing
  // until exit: a live view in a terminal stays live wherever the variables came from.
  process.env.CI = 'false'
  // Ink and React are loaded only here: no other command pays for them.
  const [{render}, {createElement}, {App}] = await Promise.all([
    import('ink'),
    import('react'),
    import('./components/App.js'),
  ])
  let first: Session | undefined = options.session
  const poller = createPoller({
    connect: async () => {
      const s = first ?? (await options.reconnect())
      first = undefined
      return s
    },
    intervalMs: options.intervalMs,
    filter: options.filter,
    actor: options.actor,
  })
  process.stdout.write(ALT_SCREEN_ON)
  const restore = () => process.stdout.write(ALT_SCREEN_OFF)
  process.once('exit', restore)
  try {
    const app = render(createElement(App, {poller, title: describeTarget(options.session.target)}), {
      exitOnCtrlC: false,
      patchConsole: false,
      maxFps: 20,
    })
    await app.waitUntilExit()
  } finally {
    await poller.stop()
    process.off('exit', restore)
    restore()
  }
}
