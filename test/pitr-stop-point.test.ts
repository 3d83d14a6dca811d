import test from 'ava'
import {checkStopPoint, walSegmentName} from '../src/backup/recovery.js'

const MB16 = 16 * 1024 * 1024
const history = (line: string) => `${line}\n`

test("a restore point must be the one named, at the manifest's LSN", (t) => {
  const rp = {type: 'name' as const, name: 'before-cleanup'}
  t.regex(
    checkStopPoint(history('1\t0/3017998\tat restore point "before-cleanup"'), MB16, rp, {lsn: '0/3017998'}),
    /the manifest's LSN$/,
  )
  t.throws(
    () => checkStopPoint(history('1\t0/3017998\tat restore point "before-cleanup"'), MB16, rp, {lsn: '0/3017A00'}),
    {message: /but the manifest has the restore point at 0\/3017A00/},
  )
  t.throws(() => checkStopPoint(history('1\t0/3000000\tno recovery target specified'), MB16, rp, {}), {
    message: /not at restore point "before-cleanup"/,
  })
  t.throws(() => checkStopPoint('', MB16, rp, {}), {message: /without a timeline history/})
})

test('a target time must have been passed: the first commit after it is where recovery stopped', (t) => {
  const target = {type: 'time' as const, time: new Date('2026-12-01T06:58:36Z')}
  t.regex(
    checkStopPoint(history('1\t0/3018000\tbefore 2026-12-01 06:58:40.5+00'), MB16, target, {}),
    /the first commit after 2026-12-01T06:58:36.000Z was not replayed/,
  )
  t.throws(() => checkStopPoint(history('1\t0/3018000\tbefore 2026-12-01 06:58:30.1+00'), MB16, target, {}), {
    message: /not past the target time/,
  })
  t.throws(() => checkStopPoint(history('1\t0/3018000\tno recovery target specified'), MB16, target, {}), {
    message: /not past the target time/,
  })
})

test('--latest must replay up to the newest archived segment', (t) => {
  t.is(walSegmentName('1', 0x3017998n, MB16), '000000010000000000000003')
  t.is(walSegmentName('2', 0x1_ff000000n, MB16), '0000000200000001000000FF')
  const latest = {type: 'latest' as const}
  t.regex(
    checkStopPoint(history('1\t0/4000000\tno recovery target specified'), MB16, latest, {
      archiveMax: '000000010000000000000003',
    }),
    /the end of the archive/,
  )
  t.throws(
    () =>
      checkStopPoint(history('1\t0/3000100\tno recovery target specified'), MB16, latest, {
        archiveMax: '000000010000000000000005',
      }),
    {message: /before the end of the archive \(000000010000000000000005\)/},
  )
})
