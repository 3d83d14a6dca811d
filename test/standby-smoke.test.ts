import test from 'ava'
import {startStandby} from './helpers/standby.js'

test('smoke', async (t) => {
  const started = Date.now()
  const s = await startStandby(t)
  t.log(`started in ${Date.now() - started} ms`)
  const {rows} = await s.query('SELECT pg_is_in_recovery() AS r, current_setting(\'port\') AS p')
  t.true(rows[0].r)
  await s.pauseReplay()
  await s.resumeReplay()
  await s.caughtUp()
  await s.stop()
})
