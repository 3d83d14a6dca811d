import {BaseCommand} from '../../base-command.js'
import {connectionFlags, outputFlags} from '../../flags.js'
import {runHealthCheck} from '../../health/check.js'
import {checkFlags, healthFormatFlag} from '../../health/flags.js'
import {HEALTH_COLUMNS, renderNagios, renderPrometheus} from '../../health/render.js'
import {openSink, write} from '../../output/sink.js'

export default class HealthCheck extends BaseCommand {
  static override summary = 'Run every health check; exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (e.g. cannot connect).'
  static override description = `Checks: connection, connections, xid_wraparound, mxid_wraparound, long_transactions, idle_in_transaction, blocked_queries, dead_tuples, last_vacuum, last_analyze, invalid_indexes, sequences, cache_hit, standbys, replication_lag, replication_lag_bytes, standby_gone, replay_lag, replay_paused, wal_receiver, recovery_conflicts, replication_slots, pg_stat_statements, statement_timeout, autovacuum, and the app_* checks of \`health app\`.
Activity and table checks look at the database you connect to; wraparound, connections and replication at the whole server.
A server that cannot be reached is reported as the connection check in state UNKNOWN (exit 3), in every format.`
  static override examples = [
    '<%= config.bin %> health check',
    '<%= config.bin %> health check --format nagios --warn idle_in_transaction=30s --crit dead_tuples=40',
    '<%= config.bin %> health check --only activity,invalid_indexes --format json',
    '<%= config.bin %> health check --skip app --format prometheus --out /var/lib/node_exporter/fluxadmin.prom',
  ]
  static override flags = {...connectionFlags, ...outputFlags, format: healthFormatFlag, ...checkFlags}

  async run(): Promise<void> {
    const {flags} = await this.parse(HealthCheck)
    const report = await runHealthCheck(() => this.connect(flags), flags)
    if (flags.format === 'nagios' || flags.format === 'prometheus') {
      const sink = await openSink(flags.out, false)
      await write(sink.stream, flags.format === 'nagios' ? renderNagios(report) : renderPrometheus(report))
      await sink.commit()
    } else {
      await this.output(report.checks, flags, {columns: HEALTH_COLUMNS})
    }
    process.exitCode = report.exitCode
  }
}
