import {humanDuration} from '../output/human.js'
import {terminalSafe} from '../output/terminal-safe.js'
import {readableBytes} from '../stats/columns.js'
import {oneLine} from '../util/text.js'
import type {CheckResult, HealthReport, Unit} from './types.js'

/** A value with its unit, for tables and summaries: `12.5%`, `3m20s`, `4`. */
export function formatValue(value: number | null, unit: Unit): string {
  if (value === null || value === undefined) return ''
  if (unit === 'percent') return `${value}%`
  if (unit === 'ms') return `${value}ms`
  if (unit === 'seconds') return humanDuration(value * 1000)
  if (unit === 'bytes') return readableBytes(value)
  return String(value)
}

/** Columns for `--format table|csv|json|ndjson`: raw values in csv/json, units in the table. */
export const HEALTH_COLUMNS = [
  'check',
  'state',
  {
    key: 'value',
    display: (v: unknown, row: Record<string, unknown>) => formatValue(v as number | null, row.unit as Unit),
  },
  'unit',
  {
    key: 'warn',
    display: (v: unknown, row: Record<string, unknown>) =>
      formatThreshold(v as number | null, row as unknown as CheckResult),
  },
  {
    key: 'crit',
    display: (v: unknown, row: Record<string, unknown>) =>
      formatThreshold(v as number | null, row as unknown as CheckResult),
  },
  'detail',
]

function formatThreshold(v: number | null, row: CheckResult): string {
  if (v === null || v === undefined) return ''
  return `${row.direction === 'below' ? '< ' : '> '}${formatValue(v, row.unit)}`
}

const PERF_UOM: Record<Unit, string> = {seconds: 's', percent: '%', count: '', ms: 'ms', bytes: 'B'}

/** Nagios plugin output: one summary line, then ` | ` and perfdata `'label'=value[UOM];warn;crit;min;max` for every check (0 when it measured nothing, so graphs have no gaps). */
export function renderNagios(report: HealthReport): string {
  const bad = report.checks.filter((c) => c.state !== 'OK')
  const counts = (['CRITICAL', 'WARNING', 'UNKNOWN'] as const)
    .map((s) => [s, report.checks.filter((c) => c.state === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s.toLowerCase()}`)
  const summary =
    bad.length === 0
      ? `${report.checks.length} checks OK`
      : `${counts.join(', ')}: ` +
        bad
          .map(
            (c) =>
              `${c.check} ${c.state}${c.value === null ? '' : ` (${formatValue(c.value, c.unit)})`}: ${pluginLine(c.detail)}`,
          )
          .join('; ')
  const perf = report.checks.map(perfdata).join(' ')
  return `POSTGRES ${report.state} - ${report.database ? `${report.database}: ` : ''}${summary}${perf ? ` | ${perf}` : ''}\n`
}

function perfdata(c: CheckResult): string {
  const range = (v: number | null) => (v === null ? '' : c.direction === 'below' ? `${v}:` : String(v))
  const max = c.unit === 'percent' ? '100' : ''
  return `'${c.check}'=${c.value ?? 0}${PERF_UOM[c.unit]};${range(c.warn)};${range(c.crit)};0;${max}`.replace(/;+$/, '')
}

/** One line of plugin output: a detail quoting data (a query, a name) keeps no '|', no newline and no control character. */
function pluginLine(text: string): string {
  return terminalSafe(oneLine(text).replace(/\|/g, '/'))
}

const STATE_CODE = {OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3}

/** Prometheus text exposition (for node_exporter's textfile collector). */
export function renderPrometheus(report: HealthReport): string {
  const db = report.database === null ? '' : `database="${escapeLabel(report.database)}"`
  const labels = (extra: string) => {
    const all = [db, extra].filter(Boolean).join(',')
    return all ? `{${all}}` : ''
  }
  const lines = [
    '# HELP fluxadmin_health_up 1 if fluxadmin could connect to PostgreSQL, else 0.',
    '# TYPE fluxadmin_health_up gauge',
    `fluxadmin_health_up${labels('')} ${report.connected ? 1 : 0}`,
    '# HELP fluxadmin_health_status Overall state: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.',
    '# TYPE fluxadmin_health_status gauge',
    `fluxadmin_health_status${labels('')} ${report.exitCode}`,
    '# HELP fluxadmin_health_check_status State of each check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.',
    '# TYPE fluxadmin_health_check_status gauge',
    ...report.checks.map((c) => `fluxadmin_health_check_status${labels(`check="${c.check}"`)} ${STATE_CODE[c.state]}`),
    '# HELP fluxadmin_health_check_value Value each check measured, in the unit of its unit label.',
    '# TYPE fluxadmin_health_check_value gauge',
    ...report.checks.map(
      (c) => `fluxadmin_health_check_value${labels(`check="${c.check}",unit="${c.unit}"`)} ${c.value ?? 0}`,
    ),
  ]
  return lines.join('\n') + '\n'
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}
