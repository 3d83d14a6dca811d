import {holdersIn, lockHolders, skipLine} from '../db/lock-guard.js'
import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {MonitorCode} from '../errors.js'
import {distributedForm} from './citus-contract.js'
import {databaseLayout, describeLayout} from './citus-layout.js'
import {migrationFiles} from './files.js'
import {appliedMigrations, liveSchemaObjects, type SchemaObject} from './migrate.js'

export interface StatusRow {
  item: 'layout' | 'migration' | 'table' | 'column' | 'index' | 'constraint' | 'trigger' | 'function' | 'accelerator'
  name: string
  state:
    | 'single node'
    | 'distributed'
    | 'not distributed'
    | 'applied'
    | 'pending'
    | 'edited'
    | 'unknown'
    | 'missing'
    | 'changed'
    | 'extra'
    | 'backfilling'
    | 'complete'
  detail: string
}

export interface SchemaStatus {
  rows: StatusRow[]
  summary: {applied: number; pending: number; edited: number; drift: number}
  /** One line: single node, or Citus with its workers and shard count. */
  layout: string
  /** 0 up to date, 1 pending migrations, 2 edited migrations or drift, 3 drift not checked (monitoring convention). */
  exitCode: number
  /** The drift check, when a lock on an application table would have made it wait. */
  skipped: string[]
}

/** The migration that brings the search accelerator's state table. */
const ACCELERATOR_MIGRATION = '060'

/** Migrations applied / pending / edited, and drift between the recorded catalog and the live one. */
export async function schemaStatus(session: Session): Promise<SchemaStatus> {
  return inTransaction(session, 'diagnostic', async (client) => {
    const applied = await appliedMigrations(client)
    const files = migrationFiles()
    const layout = await databaseLayout(client)
    const rows: StatusRow[] = [
      {
        item: 'layout',
        name: layout.kind === 'single' ? 'single node' : 'citus',
        state: layout.kind === 'single' ? 'single node' : layout.distributed ? 'distributed' : 'not distributed',
        detail: describeLayout(layout),
      },
    ]
    const appliedByVersion = new Map(applied.map((m) => [m.version, m]))
    for (const file of files) {
      const m = appliedByVersion.get(file.version)
      if (!m) rows.push({item: 'migration', name: `${file.version}_${file.name}`, state: 'pending', detail: ''})
      else if (m.checksum !== file.checksum)
        rows.push({
          item: 'migration',
          name: `${file.version}_${file.name}`,
          state: 'edited',
          detail: `applied ${m.applied_at.toISOString()}, file changed since`,
        })
      else
        rows.push({
          item: 'migration',
          name: `${file.version}_${file.name}`,
          state: 'applied',
          detail: `${m.applied_at.toISOString()} by ${m.applied_by}`,
        })
    }
    const fileVersions = new Set(files.map((f) => f.version))
    for (const m of applied) {
      if (!fileVersions.has(m.version))
        rows.push({
          item: 'migration',
          name: `${m.version}_${m.name}`,
          state: 'unknown',
          detail: 'applied, but no such file here (newer fluxadmin?)',
        })
    }
    const skipped: string[] = []
    if (applied.length > 0) {
      // The catalog functions (pg_get_expr, ...) open each table: a table locked ACCESS EXCLUSIVE would hold them up.
      const holders = holdersIn(await lockHolders(client), 'public')
      if (holders.length > 0) skipped.push(skipLine('drift check', holders))
      else {
        const recorded = (await client.query<SchemaObject>(query('db/recorded-schema-objects').text)).rows
        // The distributed layout is a valid form of the contract: compared with it, only real drift remains.
        const expected = layout.kind === 'citus' && layout.distributed ? distributedForm(recorded) : recorded
        rows.push(...diffObjects(expected, await liveSchemaObjects(client)))
      }
    }
    if (applied.some((m) => m.version === ACCELERATOR_MIGRATION)) {
      const {
        rows: [a],
      } = await client.query(query('search/accelerator-state').text)
      if (a.state !== 'off')
        rows.push({
          item: 'accelerator',
          name: 'messages.search_vector',
          state: a.state,
          detail: 'opt-in search accelerator (`fluxadmin search accelerate --status`), not drift',
        })
    }
    const count = (state: StatusRow['state']) => rows.filter((r) => r.state === state).length
    const drift = count('missing') + count('changed')
    const summary = {applied: count('applied'), pending: count('pending'), edited: count('edited'), drift}
    const exitCode =
      summary.edited > 0 || drift > 0
        ? MonitorCode.critical
        : summary.pending > 0
          ? MonitorCode.warning
          : skipped.length > 0
            ? MonitorCode.unknown
            : MonitorCode.ok
    return {rows, summary, exitCode, skipped, layout: describeLayout(layout)}
  })
}

/** Objects the migrations created that are gone or different now; extra objects are listed but are not drift. */
export function diffObjects(expected: SchemaObject[], live: SchemaObject[]): StatusRow[] {
  const key = (o: SchemaObject) => `${o.kind}\u0000${o.name}`
  const liveMap = new Map(live.map((o) => [key(o), o]))
  const expectedKeys = new Set(expected.map(key))
  const rows: StatusRow[] = []
  for (const o of expected) {
    const now = liveMap.get(key(o))
    if (!now) rows.push({item: o.kind as StatusRow['item'], name: o.name, state: 'missing', detail: o.definition})
    else if (now.definition !== o.definition)
      rows.push({
        item: o.kind as StatusRow['item'],
        name: o.name,
        state: 'changed',
        detail: `expected ${o.definition}; found ${now.definition}`,
      })
  }
  for (const o of live)
    if (!expectedKeys.has(key(o)))
      rows.push({item: o.kind as StatusRow['item'], name: o.name, state: 'extra', detail: o.definition})
  return rows
}
