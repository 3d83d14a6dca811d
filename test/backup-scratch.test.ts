import test from 'ava'
import {createBackup} from '../src/backup/create.js'
import {freshDb} from './helpers/db.js'
import {parseJson, smallFixture, tempDir, verifyCli} from './backup-fixtures.js'

test('backup verify --scratch restores a directory-format dump into a throwaway cluster with --jobs 2', async (t) => {
  const db = await freshDb(t)
  await smallFixture(db)
  const dir = tempDir(t)
  const {file, format} = await createBackup(await db.session(), {dir, jobs: 2})
  t.is(format, 'directory')
  const result = await verifyCli([file, '--scratch', '--jobs', '2', '--db-url', db.url, '--format', 'json'], {FLUXADMIN_PG_BIN: process.env.FLUXADMIN_TEST_PG_BIN})
  t.is(result.code, 0, result.stderr + result.stdout)
  const steps = parseJson(result)
  t.regex(steps[2].detail, /restored into fluxadmin_verify_\w+ \(a throwaway cluster on 127\.0\.0\.1:\d+\) with 2 jobs/)
  t.is(steps[5].status, 'pass')
  t.regex(steps[6].detail, /dropped fluxadmin_verify_\w+, stopped the throwaway cluster/)
})
