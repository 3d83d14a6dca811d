import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import test from 'ava'
import {withStartLock} from '../src/sandbox/start-lock.js'

test('a start lock still without its pid is being written: the next start waits for its holder instead of taking it over', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fa-lock-'))
  t.teardown(() => rmSync(dir, {recursive: true, force: true}))
  const holder = spawn('sleep', ['30'])
  t.teardown(() => holder.kill('SIGKILL'))
  // Another start has just created the lock and not yet written its pid.
  writeFileSync(join(dir, 'start.lock'), '')
  const waited: number[] = []
  let releasedAt = 0
  const locked = withStartLock(
    dir,
    (pid) => waited.push(pid),
    async () => Date.now(),
  )
  await new Promise((r) => setTimeout(r, 300))
  writeFileSync(join(dir, 'start.lock'), `${holder.pid}\n`)
  await new Promise((r) => setTimeout(r, 600))
  const exited = new Promise((r) => holder.once('exit', r))
  releasedAt = Date.now()
  holder.kill('SIGKILL')
  await exited
  const ranAt = await locked
  t.true(ranAt >= releasedAt, `ran ${releasedAt - ranAt} ms before the holder was gone`)
  t.deepEqual(waited, [holder.pid])
})
