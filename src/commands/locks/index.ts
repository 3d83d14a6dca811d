import * as Flags from '@oclif/core/flags'
import {listBlocking, listLocks} from '../../activity/locks.js'
import {withNodeColumn} from '../../activity/node-columns.js'
import {BaseCommand} from '../../base-command.js'
import {connectionFlags, outputFlags} from '../../shared-flags.js'

export default class Locks extends BaseCommand {
  static override summary = 'Locks held and awaited by other sessions; --blocking shows who blocks whom as a tree.'
  static override description = `Without --blocking: every lock in pg_locks (waiting ones first) with its mode, relation, wait time and the session's query.
With --blocking: only sessions that wait for a lock or block someone, as a tree (pg_blocking_pids): each blocker at depth 0 with the sessions it blocks indented below it; a session with several blockers appears under each. A prepared transaction that blocks is a root with pid 0 and its prepared_gid, owner (user), database and age (xact_age_s). waiting_mode is the lock a session waits for, held_modes what a blocker holds on that object.`
  static override examples = [
    '<%= config.bin %> locks',
    '<%= config.bin %> locks --blocking',
    '<%= config.bin %> locks --blocking --format json',
  ]
  static override flags = {
    ...connectionFlags,
    ...outputFlags,
    blocking: Flags.boolean({summary: 'Only blocking chains, as a tree.'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Locks)
    const session = await this.connect(flags)
    if (flags.blocking) {
      const rows = await listBlocking(session)
      await this.output(rows, flags, {
        columns: withNodeColumn(
          [
            'tree',
            'pid',
            'depth',
            'parent',
            'blocked_by',
            'waiting_mode',
            'held_modes',
            'locktype',
            'relation',
            'wait_s',
            'xact_age_s',
            'state',
            'database',
            'user',
            'application',
            'query',
            'prepared_gid',
          ],
          rows,
        ),
        priority: ['tree', 'waiting_mode', 'held_modes', 'relation', 'wait_s', 'query'],
      })
      return
    }
    const rows = await listLocks(session)
    await this.output(rows, flags, {
      columns: withNodeColumn(
        [
          'pid',
          'locktype',
          'mode',
          'granted',
          'relation',
          'wait_s',
          'blocked_by',
          'state',
          'database',
          'user',
          'application',
          'query',
        ],
        rows,
      ),
      priority: ['pid', 'mode', 'granted', 'relation', 'wait_s', 'query'],
    })
  }
}
