import {createReadStream, promises as fs} from 'node:fs'
import {layoutQuery} from '../schema/citus-layout.js'
import {basename} from 'node:path'
import {pipeline} from 'node:stream/promises'
import type pg from 'pg'
import {resolveActor} from '../audit/record.js'
import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {notFound, usageError} from '../errors.js'
import {findOrg} from '../input/find.js'
import {EMAIL_PATTERN, ORG_ROLES, USER_TYPES} from '../input/validate.js'
import {userAgent} from '../version.js'
import {mutate, type MutationOptions} from './mutation.js'
import {ONBOARD_COLUMNS_HINT, OnboardFileGuard, readHeader, unclosedQuoteLine} from './onboard-file.js'

export interface OnboardSummary {
  rows: number
  created: number
  already_existed: number
  added_to_org: number
  added_to_team: number
  dry_run: boolean
}

export interface OnboardOptions extends MutationOptions {
  /** Called every 10,000 lines with the lines read and the fraction of the file sent (the command draws a bar on a TTY). */
  onProgress?: (lines: number, fraction: number) => void
  /** Called as each later step starts (checking, then writing users, memberships, team memberships). */
  onStep?: (step: string) => void
}

const COPY_STATEMENT: Record<number, string> = {
  4: 'tenants/onboard-copy-4-columns',
  5: 'tenants/onboard-copy-5-columns',
}

function describe(p: {field: string; value: string}): string {
  switch (p.field) {
    case 'email':
      return `invalid email "${p.value}"`
    case 'name':
      return 'empty name'
    case 'name_length':
      return 'name longer than 255 characters'
    case 'user_type':
      return `unknown user_type "${p.value}" (one of ${USER_TYPES.join(', ')})`
    case 'role':
      return `unknown role "${p.value}" (one of ${ORG_ROLES.join(', ')})`
    default:
      return `unknown team "${p.value}"`
  }
}

/** Every problem of the loaded rows as `line N: reason`, in file order; empty when the file can be loaded. */
async function badLines(client: pg.ClientBase, orgId: string): Promise<string[]> {
  const found: Array<{n: number; text: (line: (n: number) => number) => string}> = []
  const records: number[] = []
  for (const p of (
    await client.query(query('tenants/onboard-problems').text, [orgId, EMAIL_PATTERN, USER_TYPES, ORG_ROLES])
  ).rows) {
    found.push({n: p.n, text: (line) => `line ${line(p.n)}: ${describe(p)}`})
    records.push(p.n)
  }
  for (const d of (await client.query(query('tenants/onboard-duplicates').text)).rows) {
    for (const n of d.records.slice(1))
      found.push({
        n,
        text: (line) => `line ${line(n)}: duplicate email ${d.email} (first on line ${line(d.records[0])})`,
      })
    records.push(...d.records)
  }
  if (found.length === 0) return []
  const {rows} = await client.query(query('tenants/onboard-lines').text, [records])
  const lines = new Map<number, number>(rows.map((r) => [r.n, r.line]))
  return found.sort((a, b) => a.n - b.n).map((f) => f.text((n) => lines.get(n)!))
}

/** A COPY error (bad CSV, wrong column count, bad encoding) as a usage error naming the file's line and column. */
function copyProblem(error: unknown, label: string, columns: string[], quoteLine: number | undefined): unknown {
  const e = error as {code?: string; message?: string; where?: string}
  if (!e.code || !/^(22|54)/.test(e.code) || !/COPY onboard_raw/.test(e.where ?? '')) return error
  const at = /line (\d+)(?:, column c(\d))?/.exec(e.where ?? '')
  if (at && quoteLine) at[1] = String(quoteLine)
  const column = at?.[2] ? ` (column ${columns[Number(at[2]) - 1]})` : ''
  const message = (e.message ?? '').replace(
    /column "c(\d)"/g,
    (_m, i: string) => `column "${columns[Number(i) - 1] ?? i}"`,
  )
  return usageError(
    `${label}${at ? ` line ${at[1]}${column}` : ''}: ${message.replace(/^extra data after last expected column$/, `more than ${columns.length} columns`)}`,
    `fix the file (UTF-8 CSV, ${columns.length} columns on every line); ${ONBOARD_COLUMNS_HINT}`,
  )
}

/**
 * The file goes to COPY as it is (PostgreSQL parses the CSV; memory stays flat), then every row is
 * checked in SQL: any bad line aborts before a single real row is written, naming every bad line.
 * Otherwise set-based INSERT ... ON CONFLICT creates users, memberships and team memberships,
 * with one audit row per created user plus one summary row, all in one transaction.
 */
export async function onboard(
  session: Session,
  file: string,
  orgRef: string,
  options: OnboardOptions,
): Promise<OnboardSummary> {
  const stat = await fs.stat(file).catch(() => {
    throw notFound(`cannot read ${file}`, 'check the path of the CSV file')
  })
  if (!stat.isFile()) throw usageError(`${file} is not a file`, 'give the path of the CSV file')
  const label = basename(file)
  const header = await readHeader(file, label)
  const {from: copyFrom} = await import('pg-copy-streams')
  return mutate<OnboardSummary>(session, options, async (client) => {
    const org = await findOrg(client, orgRef)
    await client.query(query('tenants/onboard-create-raw').text)
    await client.query(query('tenants/onboard-create-table').text)
    const guard = new OnboardFileGuard(label, (lines, bytes) =>
      options.onProgress?.(lines, stat.size ? bytes / stat.size : 1),
    )
    const copy = client.query(copyFrom(query(COPY_STATEMENT[header.names.length]).text))
    try {
      await pipeline(createReadStream(file), guard, copy)
    } catch (error) {
      throw copyProblem(error, label, header.names, await unclosedQuoteLine(file, error))
    }
    const p = header.position
    options.onStep?.(`checking ${copy.rowCount.toLocaleString('en')} rows`)
    await client.query(query('tenants/onboard-normalize').text, [p.email, p.name, p.user_type, p.role, p.team])
    const bad = await badLines(client, org.id)
    if (bad.length) {
      throw usageError(
        `${bad.length} bad line${bad.length === 1 ? '' : 's'} in ${label}, nothing written: ${bad.join('; ')}`,
        'fix those lines and run again (the whole file is checked before anything is written)',
      )
    }
    if (copy.rowCount === 0) throw usageError(`${label} has no data rows`, ONBOARD_COLUMNS_HINT)
    return load(client, org, copy.rowCount, file, options)
  })
}

async function load(
  client: pg.ClientBase,
  org: {id: string; slug: string},
  rows: number,
  file: string,
  options: OnboardOptions,
) {
  await client.query(query('tenants/onboard-analyze').text)
  const meta = {
    actor: resolveActor(options.actor),
    org_id: org.id,
    file: basename(file),
    dry_run: Boolean(options.dryRun),
  }
  options.onStep?.('creating users, one audit row each')
  const {
    rows: [u],
  } = await client.query(query('tenants/onboard-users').text, [userAgent, JSON.stringify(meta)])
  options.onStep?.(`adding members to ${org.slug}`)
  const {
    rows: [m],
  } = await client.query(query('tenants/onboard-members').text, [org.id])
  options.onStep?.('adding team members')
  const {
    rows: [t],
  } = await client.query((await layoutQuery(client, 'tenants/onboard-team-members')).text, [org.id])
  const summary: OnboardSummary = {
    rows,
    created: u.created,
    already_existed: rows - u.created,
    added_to_org: m.added,
    added_to_team: t.added,
    dry_run: Boolean(options.dryRun),
  }
  return {
    changes: summary,
    audit: {
      eventType: 'admin.org.onboarded',
      severity: 'info' as const,
      description: `bulk onboarding of ${basename(file)} into ${org.slug}: ${summary.created} created, ${summary.added_to_org} added`,
      metadata: {org_id: org.id, args: {file: basename(file), org: org.slug}, ...summary},
    },
  }
}
