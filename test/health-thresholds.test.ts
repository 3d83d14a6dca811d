import test from 'ava'
import {stateFor, worstState} from '../src/health/check.js'
import {resolveThresholds, selectChecks} from '../src/health/options.js'
import {renderNagios} from '../src/health/render.js'

test('thresholds parse in the unit of their check and override only what is given', (t) => {
  const th = resolveThresholds(
    ['idle_in_transaction=90s,dead_tuples=30%', 'blocked_queries=2'],
    ['last_vacuum=3d', 'cache_hit=85'],
  )
  t.deepEqual(th.get('idle_in_transaction'), {warn: 90, crit: 600})
  t.deepEqual(th.get('dead_tuples'), {warn: 30, crit: 50})
  t.deepEqual(th.get('blocked_queries'), {warn: 2, crit: 300})
  t.deepEqual(th.get('last_vacuum'), {warn: 7 * 86400, crit: 3 * 86400})
  t.deepEqual(th.get('cache_hit'), {warn: 90, crit: 85})
  t.deepEqual(resolveThresholds(['long_transactions=500ms']).get('long_transactions'), {warn: 0.5, crit: 3600})
  t.throws(() => resolveThresholds(['invalid_indexes=1%']), {message: /invalid --warn value "1%" for invalid_indexes/})
  t.throws(() => resolveThresholds(['idle_in_transaction=soon']), {
    message: /invalid --warn idle_in_transaction "soon"/,
  })
  t.throws(() => resolveThresholds(['idle_in_transaction']), {message: /invalid --warn "idle_in_transaction"/})
})

test('states: above and below thresholds, no value is OK, and the worst state wins', (t) => {
  t.is(stateFor(10, {warn: 10, crit: 20}, 'above'), 'OK')
  t.is(stateFor(10.1, {warn: 10, crit: 20}, 'above'), 'WARNING')
  t.is(stateFor(21, {warn: 10, crit: 20}, 'above'), 'CRITICAL')
  t.is(stateFor(1, {warn: 0}, 'above'), 'WARNING')
  t.is(stateFor(98, {warn: 99, crit: 95}, 'below'), 'WARNING')
  t.is(stateFor(94, {warn: 99, crit: 95}, 'below'), 'CRITICAL')
  t.is(stateFor(null, {warn: 0}, 'above'), 'OK')
  t.is(worstState(['OK', 'UNKNOWN', 'WARNING']), 'WARNING')
  t.is(worstState(['OK', 'UNKNOWN']), 'UNKNOWN')
  t.is(worstState(['WARNING', 'CRITICAL', 'UNKNOWN']), 'CRITICAL')
})

test('--only and --skip take check names and groups', (t) => {
  t.deepEqual(
    selectChecks(['activity']).map((c) => c.name),
    ['long_transactions', 'idle_in_transaction', 'blocked_queries', 'blocked_sessions'],
  )
  t.deepEqual(
    selectChecks(['activity', 'sequences'], ['blocked_queries']).map((c) => c.name),
    ['long_transactions', 'idle_in_transaction', 'blocked_sessions', 'sequences'],
  )
  t.false(selectChecks([], ['app']).some((c) => c.group === 'app'))
  t.throws(() => selectChecks(['nope']), {message: /unknown check "nope" in --only/})
  t.throws(() => selectChecks(['activity'], ['activity']), {message: /no checks left to run/})
})

test('nagios: summary of the non-OK checks (no | and no control character from a detail), perfdata with ranges (below-thresholds as "n:"), 0 for a check that measured nothing', (t) => {
  const line = renderNagios({
    database: 'app',
    connected: true,
    state: 'WARNING',
    exitCode: 1,
    checks: [
      {
        check: 'cache_hit',
        state: 'WARNING',
        value: 98.5,
        unit: 'percent',
        warn: 99,
        crit: 95,
        direction: 'below',
        detail: 'x | y\u001B]0;t\u0007',
      },
      {
        check: 'invalid_indexes',
        state: 'OK',
        value: 0,
        unit: 'count',
        warn: 0,
        crit: null,
        direction: 'above',
        detail: 'none',
      },
      {
        check: 'replication_lag',
        state: 'OK',
        value: null,
        unit: 'seconds',
        warn: 60,
        crit: 300,
        direction: 'above',
        detail: 'no standbys',
      },
    ],
  })
  t.is(
    line,
    "POSTGRES WARNING - app: 1 warning: cache_hit WARNING (98.5%): x / y␛]0;t␇ | 'cache_hit'=98.5%;99:;95:;0;100 'invalid_indexes'=0;0;;0 'replication_lag'=0s;60;300;0\n",
  )
})
