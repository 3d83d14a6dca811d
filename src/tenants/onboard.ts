import {createReadStream, promises as fs} from 'node:fs'
import {basename} from 'node:path'
import {Transform} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import type pg from 'pg'
import {resolveActor} from '../audit/record.js'
import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {FluxError, notFound, usageError} from '../errors.js'
import {userAgent} from '../version.js'
import {findOrg} from './lookup.js'
import {mutate, type MutationOptions} from './mutation.js'
import {ORG_ROLES, USER_TYPES, isEmail} from './validate.js'

const REQUIRED = ['email', 'name', 'user_type', 'role'] as const
const ALLOWED = new Set<string>([...REQUIRED, 'team'])

export interface OnboardSummary {
  rows: number
  created: number
  already_existed: number
  added_to_org: number
  added_to_team: number
  dry_run: boolean
}

export interface OnboardOptions extends MutationOptions {
  /** Called every 10,000 lines with the line count and the fraction of the file read (the command draws a bar on a TTY). */
  onProgress?: (lines: number, fraction: number) => void
}

const csvField = (v: string) => (v === '' ? '' : `"${v.replace(/"/g, '""')}"`)

/** Checks one record; returns the reasons it is bad (empty when good). */
function problems(r: Record<string, string>, teams: Set<string>): string[] {
  const out: string[] = []
  if (!isEmail(r.email)) out.push(`invalid email "${r.email}"`)
  if (!r.name) out.push('empty name')
  if (!(USER_TYPES as readonly string[]).includes(r.user_type)) out.push(`unknown user_type "${r.user_type}" (one of ${USER_TYPES.join(', ')})`)
  if (!(ORG_ROLES as readonly string[]).includes(r.role)) out.push(`unknown role "${r.role}" (one of ${ORG_ROLES.join(', ')})`)
  if (r.team && !teams.has(r.team)) out.push(`unknown team "${r.team}"`)
  return out
}

/**
 * Streams the file once: every record is validated and COPYed into a temp table (memory stays flat);
 * duplicates are found in SQL. Any bad line aborts before a single real row is written, naming every
 * bad line. Otherwise set-based INSERT ... ON CONFLICT creates users, memberships and team memberships,
 * with one audit row per created user plus one summary row, all in one transaction.
 */
export async function onboard(session: Session, file: string, orgRef: string, options: OnboardOptions): Promise<OnboardSummary> {
  const {size} = await fs.stat(file).catch(() => { throw notFound(`cannot read ${file}`, 'check the path of the CSV file') })
  const [{parse}, {from: copyFrom}] = await Promise.all([import('csv-parse'), import('pg-copy-streams')])
  return mutate<OnboardSummary>(session, options, async (client) => {
    const org = await findOrg(client, orgRef)
    const teams = new Set<string>((await client.query(query('tenants/org-team-slugs').text, [org.id])).rows.map((r) => r.slug))
    await client.query(query('tenants/onboard-create-table').text)
    const bad: string[] = []
    let rows = 0
    const input = createReadStream(file)
    const toCopy = new Transform({
      objectMode: true,
      transform({record, info}: {record: Record<string, string>; info: {lines: number}}, _enc, done) {
        const r = {email: (record.email ?? '').trim().toLowerCase(), name: (record.name ?? '').trim(), user_type: (record.user_type ?? '').trim(),
          role: (record.role ?? '').trim() || 'member', team: (record.team ?? '').trim()}
        for (const p of problems(r, teams)) bad.push(`line ${info.lines}: ${p}`)
        if (++rows % 10_000 === 0) options.onProgress?.(rows, size ? input.bytesRead / size : 1)
        done(null, `${info.lines},${csvField(r.email)},${csvField(r.name)},${csvField(r.user_type)},${csvField(r.role)},${csvField(r.team)}\n`)
      },
    })
    const parser = parse({
      bom: true, skip_empty_lines: true, info: true, trim: false, relax_column_count: false,
      columns: (header: string[]) => {
        const names = header.map((h) => h.trim().toLowerCase())
        const missing = REQUIRED.filter((c) => !names.includes(c))
        const unknown = names.filter((n) => !ALLOWED.has(n))
        if (missing.length || unknown.length) {
          throw usageError(`line 1 of ${basename(file)}: ${missing.length ? `missing column(s) ${missing.join(', ')}` : `unknown column(s) ${unknown.join(', ')}`}`, 'columns: email, name, user_type, role, team (optional)')
        }
        return names
      },
    })
    try {
      await pipeline(input, parser, toCopy, client.query(copyFrom(query('tenants/onboard-copy').text)) as unknown as NodeJS.WritableStream)
    } catch (error) {
      if (error instanceof FluxError) throw error
      const e = error as {code?: string; lines?: number; message: string}
      if (e.code?.startsWith('CSV_')) throw usageError(`${basename(file)} is not valid CSV near line ${e.lines ?? '?'}: ${e.message}`, 'fix the file; columns: email, name, user_type, role, team (optional)')
      throw error
    }
    options.onProgress?.(rows, 1)
    for (const d of (await client.query(query('tenants/onboard-duplicates').text)).rows) {
      for (const line of d.lines.slice(1)) bad.push(`line ${line}: duplicate email ${d.email} (first on line ${d.lines[0]})`)
    }
    if (bad.length) {
      bad.sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]))
      throw usageError(`${bad.length} bad line${bad.length === 1 ? '' : 's'} in ${basename(file)}, nothing written: ${bad.join('; ')}`, 'fix those lines and run again (the whole file is checked before anything is written)')
    }
    if (rows === 0) throw usageError(`${basename(file)} has no data rows`, 'columns: email, name, user_type, role, team (optional)')
    return load(client, org, rows, file, options)
  })
}

async function load(client: pg.ClientBase, org: {id: string; slug: string}, rows: number, file: string, options: OnboardOptions) {
  await client.query(query('tenants/onboard-analyze').text)
  const meta = {actor: resolveActor(options.actor), org_id: org.id, file: basename(file), dry_run: Boolean(options.dryRun)}
  const {rows: [u]} = await client.query(query('tenants/onboard-users').text, [userAgent, JSON.stringify(meta)])
  const {rows: [m]} = await client.query(query('tenants/onboard-members').text, [org.id])
  const {rows: [t]} = await client.query(query('tenants/onboard-team-members').text, [org.id])
  const summary: OnboardSummary = {rows, created: u.created, already_existed: rows - u.created, added_to_org: m.added, added_to_team: t.added, dry_run: Boolean(options.dryRun)}
  return {
    changes: summary,
    audit: {eventType: 'admin.org.onboarded', severity: 'info' as const, description: `bulk onboarding of ${basename(file)} into ${org.slug}: ${summary.created} created, ${summary.added_to_org} added`,
      metadata: {org_id: org.id, args: {file: basename(file), org: org.slug}, ...summary}},
  }
}
