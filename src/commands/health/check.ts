import {BaseCommand} from '../../base-command.js'
import {checkFlags, healthFormatFlag, scopeFlags} from '../../health/check-flags.js'
import {runHealthCheck} from '../../health/check.js'
import {CHECKS} from '../../health/checks.js'
import {HEALTH_COLUMNS, renderNagios, renderPrometheus} from '../../health/render.js'
import {renderText} from '../../output/render.js'
import {connectionFlags, outputFlags} from '../../shared-flags.js'

export default class HealthCheck extends BaseCommand {
  static override summary =
    'Run every health check; exit 0 OK, 1 WARNING, 2 CRITICAL (also: cannot connect), 3 UNKNOWN.'
  static override description = `Checks: ${CHECKS.map((c) => c.name).join(', ')} (docs/health.md: what each reads, its thresholds and its check_postgres counterpart).
Activity checks look at every database (--db: one); table checks at the database you connect to; the rest at the whole server.
Configuration advice (statement_timeout, pg_stat_statements) runs only with --include settings; the pgbouncer_* checks only with --pgbouncer URL, the pgbackrest_* checks only with --stanza NAME.
A server that cannot be reached is the connection check in state CRITICAL (exit 2), in every format. The overall state is the worst: CRITICAL > WARNING > UNKNOWN > OK.`
  static override examples = [
    '<%= config.bin %> health check',
    '<%= config.bin %> health check --format nagios --warn idle_in_transaction=30s --crit dead_tuples=40',
    '<%= config.bin %> health check --only activity,invalid_indexes --format json',
    '<%= config.bin %> health check --skip app --format prometheus --out /var/lib/node_exporter/fluxadmin.prom',
    '<%= config.bin %> health check --pgbouncer postgres://stats@127.0.0.1:6432/pgbouncer --include settings --db app',
    '<%= config.bin %> health check --stanza main --pgbackrest-config /etc/pgbackrest/pgbackrest.conf --format nagios',
  ]
  static override flags = {...connectionFlags, ...outputFlags, format: healthFormatFlag, ...checkFlags, ...scopeFlags}

  async run(): Promise<void> {
    const {flags} = await this.parse(HealthCheck)
    const report = await runHealthCheck(() => this.connect(flags), flags)
    if (flags.format === 'nagios' || flags.format === 'prometheus') {
      await renderText(flags.format === 'nagios' ? renderNagios(report) : renderPrometheus(report), {out: flags.out})
    } else {
      await this.output(report.checks, flags, {columns: HEALTH_COLUMNS})
    }
    process.exitCode = report.exitCode
  }
}
