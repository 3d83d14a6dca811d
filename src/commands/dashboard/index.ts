import * as Flags from '@oclif/core/flags'
import {activityFlags} from '../../activity/session-flags.js'
import {parseFilters} from '../../activity/sessions.js'
import {BaseCommand} from '../../base-command.js'
import {parseInterval} from '../../dashboard/poller.js'
import {runDashboard} from '../../dashboard/run.js'
import {dashboardSnapshot, PANES, snapshotColumns, snapshotObject, snapshotRows} from '../../dashboard/snapshot.js'
import {warnSkipped} from '../../output/messages.js'
import {connectionFlags, outputFlags} from '../../shared-flags.js'
import {parseDuration} from '../../util/time.js'

export default class Dashboard extends BaseCommand {
  static override aliases = ['top']
  static override summary = 'Live view of the server: overview, activity and locks, top queries, busiest tenants.'
  static override description = `Keys: tab/1-4 panes, arrows select, s sort, / filter, p or space pause, +/- interval, i idle sessions, w waiting / b blocking sessions only, l lock tree,
enter the whole query with a plain EXPLAIN, c cancel / k terminate the selected backend (y/n, audited), ? help, q quit.
A summary above every pane shows pg_activity's header figures; memory, swap, load and per-backend CPU%, MEM%, read/s and write/s only
when the server runs on this machine (else "remote"). fluxadmin's own statements and idle sessions are left out.
When stdout or stdin is not a terminal, or with --once, prints one snapshot instead (rates over a 1 s sample). JSON is one object with a key per pane:
{"overview": {...}, "activity": [...], "locks": [...], "top_queries": [...], "tenants": [...]}; NDJSON, CSV and tables have one row per item with
a \`pane\` column (columns of other panes are empty). --pane keeps one pane and only its columns.
No pane waits behind a lock: one that would (the tenants pane reads messages and files), or that fails, is skipped with a line
naming the lock holder (on stderr with --once), and the other panes still refresh.`
  static override examples = [
    '<%= config.bin %> dashboard',
    '<%= config.bin %> top --interval 5 --filter database=fluxstudio',
    '<%= config.bin %> dashboard --once --format json',
    '<%= config.bin %> dashboard --once --pane activity --format csv',
  ]
  static override flags = {
    ...connectionFlags,
    ...outputFlags,
    ...activityFlags,
    interval: Flags.string({
      summary: 'Seconds between refreshes (0.5 to 60).',
      default: '2',
      env: 'FLUXADMIN_INTERVAL',
    }),
    once: Flags.boolean({summary: 'Print one snapshot of the panes and exit (the default when not on a terminal).'}),
    pane: Flags.option({options: [...PANES], summary: 'With --once: only this pane.'})(),
    actor: Flags.string({
      summary: 'Who cancels or terminates backends, for the audit trail (default: FLUXADMIN_ACTOR, else the OS user).',
      env: 'FLUXADMIN_ACTOR',
    }),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Dashboard)
    const filter = {
      ...parseFilters(flags.filter),
      minDurationMs: parseDuration(flags['min-duration'] ?? '0s', '--min-duration'),
      includeIdle: flags.idle,
    }
    const intervalMs = parseInterval(flags.interval)
    const session = await this.connect(flags)
    if (flags.once || !process.stdout.isTTY || !process.stdin.isTTY) {
      const panes = flags.pane ? [flags.pane] : PANES
      const data = await dashboardSnapshot(session, {filter, sampleMs: 1000})
      if (this.outputFormat(flags) === 'json') await this.outputDocument(snapshotObject(data, panes), flags)
      else await this.output(snapshotRows(data, panes), flags, {columns: snapshotColumns(panes)})
      warnSkipped(panes.flatMap((pane) => (pane !== 'overview' && data.skipped[pane] ? [data.skipped[pane]] : [])))
      return
    }
    await runDashboard({session, reconnect: () => this.connect(flags), intervalMs, filter, actor: flags.actor})
  }
}
