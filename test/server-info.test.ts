import test from 'ava'
import {versionNum} from '../src/db/session.js'
import {freshDb} from './helpers/db.js'

test('a session knows the server version and whether it is a standby from the connection start', async (t) => {
  const db = await freshDb(t)
  const session = await db.session()
  const {
    rows: [row],
  } = await db.pg.query("SELECT current_setting('server_version_num')::int AS num, pg_is_in_recovery() AS standby")
  t.is(session.server.versionNum, row.num)
  t.is(session.server.inHotStandby, row.standby)
})

test('version strings of every packaging read as server_version_num', (t) => {
  t.is(versionNum('17.10'), 170010)
  t.is(versionNum('15.18 (Debian 15.18-0+deb12u1)'), 150018)
  t.is(versionNum('18beta1'), 180000)
})
