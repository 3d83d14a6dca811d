import {usageError} from '../errors.js'
import {parseDuration} from '../util/time.js'
import {CHECKS, GROUPS, OPT_IN_GROUPS} from './checks.js'
import type {CheckDef, Unit} from './types.js'

export interface Thresholds {
  warn?: number
  crit?: number
}

const BYTE_UNITS: Record<string, number> = {b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4}

/** Parses a threshold in the check's unit: durations (`30s`, `5m`; bare numbers are seconds), percents (`80`, `80%`), sizes (`500MB`), counts. */
function parseThreshold(def: CheckDef, text: string, flag: string): number {
  const t = text.trim()
  const bad = () => usageError(`invalid ${flag} value "${t}" for ${def.name}`, hintFor(def.unit))
  if (def.unit === 'bytes') {
    const size = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb)?$/i.exec(t)
    if (!size) throw bad()
    return Math.round(Number(size[1]) * BYTE_UNITS[(size[2] ?? 'b').toLowerCase()])
  }
  if (def.unit === 'seconds') {
    if (/^\d+(\.\d+)?$/.test(t)) return Number(t)
    return parseDuration(t, `${flag} ${def.name}`) / 1000
  }
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(t)
  if (!m || (m[2] && def.unit !== 'percent')) throw bad()
  const n = Number(m[1])
  if (def.unit === 'percent' && n > 100) throw bad()
  return n
}

function hintFor(unit: Unit): string {
  if (unit === 'percent') return 'use a percentage from 0 to 100, e.g. 80 or 80%'
  if (unit === 'seconds') return 'use a duration: 500ms, 30s, 5m, 2h, 7d (a bare number is seconds)'
  if (unit === 'bytes') return 'use a size: 500MB, 10GB, 1TB (a bare number is bytes)'
  return 'use a whole number, e.g. 0'
}

// oclif hands a repeatable flag set from the environment (FLUXADMIN_HEALTH_WARN, ...) over as one string.
type Repeated = string[] | string | undefined

const items = (values: Repeated) => [values ?? []].flat().flatMap((s) => s.split(','))

/** `--warn name=value` / `--crit name=value` pairs over the defaults, checked against the known checks. */
export function resolveThresholds(warn: Repeated = [], crit: Repeated = []): Map<string, Thresholds> {
  const out = new Map<string, Thresholds>()
  for (const def of CHECKS) if (def.direction) out.set(def.name, {warn: def.warn, crit: def.crit})
  const apply = (values: Repeated, key: 'warn' | 'crit') => {
    for (const item of items(values)) {
      const m = /^\s*([a-z_]+)\s*=\s*(.+)$/.exec(item)
      if (!m)
        throw usageError(
          `invalid --${key} "${item}"`,
          'use --' + key + ' name=value, e.g. --' + key + ' idle_in_transaction=5m',
        )
      const def = CHECKS.find((c) => c.name === m[1])
      if (!def)
        throw usageError(`unknown check "${m[1]}" in --${key}`, `checks: ${CHECKS.map((c) => c.name).join(', ')}`)
      if (!def.direction)
        throw usageError(
          `check ${def.name} has no thresholds`,
          `checks with thresholds: ${CHECKS.filter((c) => c.direction)
            .map((c) => c.name)
            .join(', ')}`,
        )
      out.get(def.name)![key] = parseThreshold(def, m[2], `--${key}`)
    }
  }
  apply(warn, 'warn')
  apply(crit, 'crit')
  return out
}

/** The checks to run: names or groups in --only (else every group but the opt-in ones not in `include`), minus --skip. */
export function selectChecks(only: Repeated = [], skip: Repeated = [], include: Repeated = []): CheckDef[] {
  const expand = (values: Repeated, flag: string) => {
    const names = new Set<string>()
    const listed = items(values)
      .map((s) => s.trim())
      .filter(Boolean)
    // `--only ""` (an unset shell variable) names nothing: not "every check".
    if (listed.length === 0 && items(values).length > 0)
      throw usageError(`${flag} is empty`, `name checks or groups, e.g. ${flag} activity,connections`)
    for (const item of listed) {
      if ((GROUPS as string[]).includes(item)) for (const c of CHECKS.filter((c) => c.group === item)) names.add(c.name)
      else if (CHECKS.some((c) => c.name === item)) names.add(item)
      else
        throw usageError(
          `unknown check "${item}" in ${flag}`,
          `checks: ${CHECKS.map((c) => c.name).join(', ')}; groups: ${GROUPS.join(', ')}`,
        )
    }
    return names
  }
  const onlyNames = expand(only, '--only')
  const skipNames = expand(skip, '--skip')
  const included = items(include)
  const byDefault = (c: CheckDef) =>
    !OPT_IN_GROUPS.includes(c.group) || included.includes(c.group) || included.includes(c.name)
  const picked = CHECKS.filter(
    (c) => (onlyNames.size === 0 ? byDefault(c) : onlyNames.has(c.name)) && !skipNames.has(c.name),
  )
  if (picked.length === 0) throw usageError('no checks left to run', 'loosen --only / --skip')
  return picked
}
