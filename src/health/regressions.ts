import type {Session} from '../db/session.js'
import {isFluxError} from '../errors.js'
import type {CheckRow} from './types.js'

/** The window `health check --include query_regressions` looks at: the snapshot nearest this long ago, to now. */
export const REGRESSION_WINDOW_MS = 3_600_000

/** query_regressions: how many of this database's statements got at least 2x slower per call (50+ calls) since the snapshot nearest an hour ago. */
export async function queryRegressions(session: Session): Promise<CheckRow> {
  const {DEFAULT_FACTOR, DEFAULT_MIN_CALLS, findRegressions} = await import('../stats/regressions.js')
  let result
  try {
    result = await findRegressions(session, {
      since: new Date(Date.now() - REGRESSION_WINDOW_MS),
      db: session.target.database,
    })
  } catch (error) {
    if (isFluxError(error) && error.kind === 'not_found')
      return {value: null, detail: 'no `stats snapshot` yet (run it from cron every few minutes)'}
    throw error
  }
  const worst = result.rows
    .slice(0, 3)
    .map(
      (r) =>
        `queryid ${r.queryid} ${r.factor.toFixed(1)}x slower (${r.mean_before_ms.toFixed(2)} -> ${r.mean_ms.toFixed(2)} ms, ${r.calls} calls${r.plan_changed ? ', plan changed' : ''})`,
    )
  return {
    value: result.rows.length,
    detail:
      result.rows.length === 0
        ? `no statement ${DEFAULT_FACTOR}x slower per call with ${DEFAULT_MIN_CALLS}+ calls`
        : `${worst.join('; ')}; see \`fluxadmin stats regressions\``,
  }
}
