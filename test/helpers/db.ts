import {randomBytes} from 'node:crypto'
import type {ExecutionContext} from 'ava'
import pg from 'pg'
import {query} from '../../src/db/queries.js'
import {resolveTarget} from '../../src/db/resolve.js'
import {openSession, type Session} from '../../src/db/session.js'
import {migrate} from '../../src/schema/migrate.js'

export const adminUrl = () => {
  const url = process.env.FLUXADMIN_TEST_ADMIN_URL
  if (!url) throw new Error('run the tests with `npm test`: it starts the PostgreSQL they need')
  return url
}

export function urlFor(database: string): string {
  const url = new URL(adminUrl())
  url.pathname = `/${database}`
  return url.toString()
}

async function adminQuery(text: string, params: unknown[] = []) {
  const client = new pg.Client({connectionString: adminUrl()})
  await client.connect()
  try {
    return await client.query(text, params)
  } finally {
    await client.end()
  }
}

export async function createDb(name: string, template: string | null): Promise<void> {
  const {
    rows: [{sql}],
  } = await adminQuery(query('db/create-database-statement').text, [name, template])
  await adminQuery(sql)
}

/** A database in another server encoding (the template is UTF8), migrated as `db migrate` would. */
async function createEncodedDb(name: string, encoding: 'LATIN1' | 'SQL_ASCII'): Promise<void> {
  await adminQuery(
    `CREATE DATABASE ${pg.escapeIdentifier(name)} ENCODING '${encoding}' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0`,
  )
  const session = await openSession(resolveTarget(urlFor(name)))
  try {
    await migrate(session)
  } finally {
    await session.close()
  }
}

export async function dropDb(name: string): Promise<void> {
  const {
    rows: [{sql}],
  } = await adminQuery(query('db/drop-database-statement').text, [name])
  await adminQuery(sql)
}

export interface TestDb {
  name: string
  url: string
  /** A plain pg client for arranging and checking data. */
  pg: pg.Client
  /** A fluxadmin session, as commands open it. */
  session(): Promise<Session>
}

/**
 * A fresh database for one test file, cloned from the migrated template (or empty with
 * `{migrated: false}`); dropped after the file's tests, even when they fail.
 */
export async function freshDb(
  t: {after: {always: (fn: () => Promise<void>) => void}} | ExecutionContext,
  options: {migrated?: boolean; encoding?: 'LATIN1' | 'SQL_ASCII'} = {},
): Promise<TestDb> {
  const name = `t_${randomBytes(6).toString('hex')}`
  if (options.encoding) await createEncodedDb(name, options.encoding)
  else await createDb(name, options.migrated === false ? null : process.env.FLUXADMIN_TEST_TEMPLATE!)
  const url = urlFor(name)
  const client = new pg.Client({connectionString: url})
  await client.connect()
  const sessions: Session[] = []
  const cleanup = async () => {
    await Promise.all(sessions.map((s) => s.close()))
    await client.end().catch(() => {})
    await dropDb(name)
  }
  if ('teardown' in t) t.teardown(cleanup)
  else t.after.always(cleanup)
  return {
    name,
    url,
    pg: client,
    async session() {
      const s = await openSession(resolveTarget(url))
      sessions.push(s)
      return s
    },
  }
}

/** One database for a whole test file, prepared once before its tests (`prepare`) and dropped after them. */
export function fileDb(
  test: {before: (fn: () => Promise<void>) => void; after: {always: (fn: () => Promise<void>) => void}},
  prepare: (db: TestDb) => Promise<void>,
): () => TestDb {
  let db: TestDb | undefined
  let drop = async () => {}
  test.after.always(() => drop())
  test.before(async () => {
    db = await freshDb({
      after: {
        always: (fn) => {
          drop = fn
        },
      },
    })
    await prepare(db)
  })
  return () => db!
}
