import {BaseCommand} from '../../base-command.js'
import {checkFlags} from '../../health/check-flags.js'
import {runHealthCheck} from '../../health/check.js'
import {HEALTH_COLUMNS} from '../../health/render.js'
import {connectionFlags, outputFlags} from '../../shared-flags.js'

export default class HealthApp extends BaseCommand {
  static override summary =
    'FluxStudio data checks: live tokens of suspended organizations, unpurged tokens, inactive members, version chains, tenant and foreign-key indexes.'
  static override description =
    'The app_* checks of `health check`, alone. Exit codes follow the monitoring convention: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.'
  static override examples = [
    '<%= config.bin %> health app',
    '<%= config.bin %> health app --warn app_stale_tokens=100 --format json',
  ]
  static override flags = {...connectionFlags, ...outputFlags, warn: checkFlags.warn, crit: checkFlags.crit}

  async run(): Promise<void> {
    const {flags} = await this.parse(HealthApp)
    const report = await runHealthCheck(() => this.connect(flags), {only: ['app'], warn: flags.warn, crit: flags.crit})
    await this.output(report.checks, flags, {columns: HEALTH_COLUMNS})
    process.exitCode = report.exitCode
  }
}
