import type pg from 'pg'
import {query} from '../db/queries.js'
import {resolveTarget} from '../db/resolve.js'
import {openSession, type Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {migrate} from '../schema/migrate.js'

export const SIZES = {
  small: {organizations: 24, users: 2_000, projectsPerOrg: 8, filesPerProject: 4, messages: 50_000},
  medium: {organizations: 60, users: 8_000, projectsPerOrg: 10, filesPerProject: 5, messages: 250_000},
  large: {organizations: 120, users: 20_000, projectsPerOrg: 12, filesPerProject: 6, messages: 1_000_000},
} as const
export type SandboxSize = keyof typeof SIZES

const ORG_TYPES = ['high_school', 'university', 'independent', 'college', 'studio', 'nonprofit']
const TIERS = ['free', 'starter', 'pro', 'enterprise']
const USER_TYPES = ['designer', 'designer', 'client', 'client', 'client', 'admin']

/**
 * Fills an empty, migrated database with reproducible demo data: names from faker with a fixed seed,
 * bulk rows generated in SQL (setseed) so that even the large size loads in seconds, not row by row.
 */
export async function seed(
  client: pg.ClientBase,
  size: SandboxSize,
  onStep: (step: string) => void = () => {},
): Promise<void> {
  const spec = SIZES[size]
  const {fakerEN: faker} = await import('@faker-js/faker')
  faker.seed(42)
  const run = async (name: string, params: unknown[] = []) => {
    onStep(name)
    await client.query(query(`sandbox/${name}`).text, params)
  }
  await run('set-seed', [0.42])

  const emails: string[] = []
  const names: string[] = []
  const types: string[] = []
  for (let i = 0; i < spec.users; i++) {
    const first = faker.person.firstName()
    const last = faker.person.lastName()
    names.push(`${first} ${last}`)
    emails.push(
      `${first}.${last}.${i}@${faker.internet.domainWord()}.example.com`.toLowerCase().replace(/[^a-z0-9.@-]/g, ''),
    )
    types.push(USER_TYPES[i % USER_TYPES.length])
  }
  await run('seed-users', [emails, names, types])

  const orgNames: string[] = []
  const slugs: string[] = []
  const orgTypes: string[] = []
  const tiers: string[] = []
  const statuses: string[] = []
  for (let i = 0; i < spec.organizations; i++) {
    const type = ORG_TYPES[i % ORG_TYPES.length]
    const base =
      type === 'university'
        ? `${faker.location.city()} University`
        : type === 'high_school'
          ? `${faker.location.city()} High School`
          : faker.company.name()
    orgNames.push(base)
    slugs.push(
      `${base
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')}-${i + 1}`,
    )
    orgTypes.push(type)
    tiers.push(TIERS[i % TIERS.length])
    statuses.push(i % 12 === 11 ? 'suspended' : i % 8 === 7 ? 'past_due' : 'active')
  }
  await run('seed-organizations', [orgNames, slugs, orgTypes, tiers, statuses])
  await run('seed-members')
  await run('seed-teams')
  await run('seed-team-members')
  await run('seed-projects', [spec.projectsPerOrg])
  await run('seed-project-members')
  await run('seed-files', [spec.filesPerProject])
  await run('seed-conversations')
  await run('seed-participants')
  await run('seed-messages', [spec.messages, 180])
  await run('seed-activity')
  await run('analyze')
}

/** Migrates a new sandbox database and fills it with the demo data; `then` runs in the same session (the Citus sandbox distributes it). */
export async function migrateAndSeed(
  url: string,
  size: SandboxSize,
  step: (step: string) => void,
  then?: (session: Session) => Promise<void>,
): Promise<void> {
  const session = await openSession(resolveTarget(url), {
    statementTimeoutMs: 0,
    lockTimeoutMs: 0,
    idleInTransactionMs: 0,
  })
  try {
    step('migrating')
    await migrate(session)
    await session.client.query(query('sandbox/create-pg-stat-statements').text)
    step(`seeding (${size})`)
    await inTransaction(session, 'write', (client) => seed(client, size, (s) => step(`  ${s}`)))
    await then?.(session)
  } finally {
    await session.close()
  }
}
