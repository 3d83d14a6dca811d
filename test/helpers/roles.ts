import {randomBytes} from 'node:crypto'
import type {TestDb} from './db.js'

export interface LimitedRole {
  name: string
  /** The test database's URL as this role. */
  url: string
}

/**
 * A login role with a unique name in the test cluster (roles are cluster-wide), given `grants`
 * (statements with {role} where its name goes); dropped with its privileges when the test ends.
 */
export async function limitedRole(
  t: {teardown: (fn: () => Promise<void>) => void},
  db: TestDb,
  grants: string[] = [],
): Promise<LimitedRole> {
  const name = `fa_lim_${randomBytes(5).toString('hex')}`
  const password = randomBytes(12).toString('hex')
  await db.pg.query(`CREATE ROLE ${name} LOGIN PASSWORD '${password}'`)
  t.teardown(async () => {
    await db.pg.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1`, [name])
    await db.pg.query(`DROP OWNED BY ${name}; DROP ROLE ${name}`)
  })
  for (const grant of grants) await db.pg.query(grant.replaceAll('{role}', name))
  const url = new URL(db.url)
  url.username = name
  url.password = password
  return {name, url: url.toString()}
}
