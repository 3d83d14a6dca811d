import {userInfo} from 'node:os'
import type pg from 'pg'
import {query} from '../db/queries.js'
import {redact} from '../db/redact.js'
import {userAgent} from '../version.js'
import {scrubSecrets} from './args.js'

export interface AuditEvent {
  /** e.g. `admin.org.suspended`, `admin.stats.reset`, `admin.backend.terminated`. */
  eventType: string
  severity: 'info' | 'warning' | 'critical'
  description: string
  /** The user the event is about, when there is one. */
  userId?: string | null
  /** Arguments and affected ids; the actor is added. */
  metadata?: Record<string, unknown>
  actor?: string
}

/** Who is acting: --actor, else FLUXADMIN_ACTOR, else the OS user. */
export function resolveActor(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return flag
  if (env.FLUXADMIN_ACTOR) return env.FLUXADMIN_ACTOR
  try {
    return userInfo().username
  } catch {
    return env.USER ?? 'unknown'
  }
}

/** Writes one security_events row in the caller's transaction, so the audit commits or rolls back with the change. */
export async function recordAudit(client: pg.ClientBase, event: AuditEvent): Promise<{id: string; created_at: Date}> {
  const metadata = {actor: resolveActor(event.actor), ...event.metadata}
  const {
    rows: [row],
  } = await client.query(query('audit/insert-event').text, [
    event.userId ?? null,
    event.eventType,
    event.severity,
    redact(event.description),
    userAgent,
    JSON.stringify(scrubSecrets(metadata)),
  ])
  return row
}

/**
 * One security_events row per entry, of one event type, in one statement in the caller's transaction;
 * the ids come back in the order of `entries`.
 */
export async function recordAudits(
  client: pg.ClientBase,
  event: Pick<AuditEvent, 'eventType' | 'severity' | 'actor'>,
  entries: Array<{description: string; metadata?: Record<string, unknown>}>,
): Promise<Array<{id: string; created_at: Date}>> {
  if (entries.length === 0) return []
  const actor = resolveActor(event.actor)
  const {rows} = await client.query(query('audit/insert-events').text, [
    event.eventType,
    event.severity,
    userAgent,
    entries.map((e) => redact(e.description)),
    JSON.stringify(entries.map((e) => scrubSecrets({actor, ...e.metadata}))),
  ])
  return rows
}
