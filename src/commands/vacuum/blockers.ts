import {BaseCommand} from '../../base-command.js'
import {BLOCKER_COLUMNS, vacuumBlockers} from '../../health/xmin.js'
import {connectionFlags, outputFlags} from '../../shared-flags.js'

export default class VacuumBlockers extends BaseCommand {
  static override summary =
    'What holds the xmin horizon back, oldest first: sessions, replication slots, prepared transactions, standbys.'
  static override description = `VACUUM keeps every row deleted after the oldest xmin any of these holds: a session's backend_xmin or backend_xid
(an open transaction, a REPEATABLE READ snapshot left idle), a replication slot's xmin or catalog_xmin, a prepared transaction, and a standby's
hot_standby_feedback (pg_stat_replication.backend_xmin). xmin_age is in transactions (age()), held_s in seconds where the server says.
this_database: it holds back this database's tables (a session in another database holds back only that one's).`
  static override examples = ['<%= config.bin %> vacuum blockers', '<%= config.bin %> vacuum blockers --format json']
  static override flags = {...connectionFlags, ...outputFlags}

  async run(): Promise<void> {
    const {flags} = await this.parse(VacuumBlockers)
    const session = await this.connect(flags)
    await this.output(await vacuumBlockers(session), flags, {
      columns: BLOCKER_COLUMNS,
      priority: ['kind', 'pid', 'name', 'xmin_age', 'held_s', 'state', 'database', 'query'],
    })
  }
}
