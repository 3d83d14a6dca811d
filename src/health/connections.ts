import type {ConnectionGroup} from '../activity/connection-summary.js'
import type {CheckRow} from './types.js'

const TOP_GROUPS = 3

/**
 * The `connections` check from the rows of `activity --summary`: connections in use as a % of those
 * ordinary roles may open, and the largest groups by user, application, client address and state.
 */
export function connectionsCheck(rows: Array<Record<string, unknown>>): CheckRow {
  const all = rows as unknown as ConnectionGroup[]
  const figure = (group: string, value: string) =>
    all.find((r) => r.group === group && r.value === value)?.connections ?? 0
  const used = figure('total', 'client connections')
  const max = figure('limit', 'max_connections')
  const superuser = figure('limit', 'superuser_reserved_connections')
  const reserved = figure('limit', 'reserved_connections')
  const open = Math.max(max - superuser - reserved, 1)
  const top = (group: string) =>
    all
      .filter((r) => r.group === group)
      .slice(0, TOP_GROUPS)
      .map((r) => `${r.value} ${r.connections}`)
      .join(', ')
  const groups = (['user', 'application', 'client', 'state'] as const).map((g) => `${g}: ${top(g)}`).join('; ')
  return {
    value: Math.round((1000 * used) / open) / 10,
    detail: `${used} of ${max} connections (${superuser} reserved for superusers${reserved ? `, ${reserved} for pg_use_reserved_connections` : ''}); most by ${groups}; see \`fluxadmin activity --summary\``,
  }
}
