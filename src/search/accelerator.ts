import type pg from 'pg'
import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {conflict, FluxError} from '../errors.js'
import {mutate, type MutationOptions} from '../tenants/mutation.js'
import {databaseLayout} from '../schema/citus-layout.js'

export type AcceleratorState = 'off' | 'backfilling' | 'complete'

export interface AcceleratorStatus {
  state: AcceleratorState
  started_at: Date | null
  completed_at: Date | null
  /** Messages with content, those with a stored vector, and what the vectors take (null while off). */
  messages: number | null
  filled: number | null
  missing: number | null
  vector_bytes: number | null
}

export interface AccelerateResult {
  state: AcceleratorState
  /** Rows this run filled (with --dry-run: rows it would fill). */
  backfilled: number
  batches: number
  seconds: number
  rows_per_second: number
  vector_bytes: number | null
  dry_run: boolean
}

export interface BackfillProgress {
  filled: number
  total: number
  rowsPerSecond: number
  etaSeconds: number | null
}

interface Progress {
  messages: number
  filled: number
  missing: number
  vector_bytes: number
}

const run = (client: pg.ClientBase, name: string, params: unknown[] = []) =>
  client.query(query(`search/${name}`).text, params)
const progressOf = async (client: pg.ClientBase): Promise<Progress> =>
  (await run(client, 'accelerator-progress')).rows[0]

interface RecordedState {
  state: AcceleratorState
  started_at: Date | null
  completed_at: Date | null
  has_column: boolean
}
const stateOf = async (client: pg.ClientBase): Promise<RecordedState> =>
  (await run(client, 'accelerator-state')).rows[0]

/**
 * Every accelerator transaction starts here: concurrent runs and an --undo then take turns, and each
 * reads the state the one before it left (rather than finding its column dropped half-way).
 */
async function lockedState(client: pg.ClientBase): Promise<RecordedState> {
  await run(client, 'accelerator-lock')
  return stateOf(client)
}

/** lockedState for a transaction that changes messages' column, trigger or ranking function (on Citus, with the settings that allows). */
async function lockedForDdl(client: pg.ClientBase): Promise<RecordedState> {
  const layout = await databaseLayout(client)
  if (layout.kind === 'citus' && layout.distributed) await client.query(query('search-citus/accelerator-settings').text)
  return lockedState(client)
}

const removedMeanwhile = () =>
  conflict(
    'the search accelerator was removed (search accelerate --undo) while this run was building it',
    'run `fluxadmin search accelerate` again to add it',
  )

export async function acceleratorStatus(session: Session): Promise<AcceleratorStatus> {
  return inTransaction(session, 'read', async (client) => {
    const s = await stateOf(client)
    const p = s.has_column ? await progressOf(client) : null
    return {
      state: s.state,
      started_at: s.started_at,
      completed_at: s.completed_at,
      messages: p?.messages ?? null,
      filled: p?.filled ?? null,
      missing: p?.missing ?? null,
      vector_bytes: p?.vector_bytes ?? null,
    }
  })
}

/**
 * Adds the stored vector (a nullable column: no rewrite), the trigger that fills it on insert and on
 * a change of content, then backfills the existing rows in short transactions of `batchSize` rows in
 * id order, and only then switches ranking to the column and records the accelerator complete. Every
 * step can be rerun: an interrupted run continues where the rows still lack their vector.
 */
export async function accelerate(
  session: Session,
  options: MutationOptions & {batchSize: number; onProgress?: (p: BackfillProgress) => void},
): Promise<AccelerateResult> {
  const started = performance.now()
  const result = (
    state: AcceleratorState,
    backfilled: number,
    batches: number,
    vectorBytes: number | null,
  ): AccelerateResult => {
    const seconds = (performance.now() - started) / 1000
    return {
      state,
      backfilled,
      batches,
      seconds: Math.round(seconds * 100) / 100,
      rows_per_second: Math.round(backfilled / Math.max(seconds, 0.001)),
      vector_bytes: vectorBytes,
      dry_run: Boolean(options.dryRun),
    }
  }
  const status = await acceleratorStatus(session)
  if (status.state === 'complete') return result('complete', 0, 0, status.vector_bytes)
  const prepared = await mutate(session, options, async (client) => {
    if ((await lockedForDdl(client)).state === 'complete') return {changes: null, audit: null}
    for (const step of [
      'accelerator-add-column',
      'accelerator-fill-function',
      'accelerator-trigger',
      'accelerator-start',
    ])
      await run(client, step)
    const p = await progressOf(client)
    return {
      changes: p,
      audit: {
        eventType: 'admin.search.accelerator_started',
        severity: 'warning' as const,
        description: `search accelerator: stored vector column and trigger on messages, ${p.missing} rows to backfill`,
        metadata: {to_backfill: p.missing},
      },
    }
  })
  // Another run completed it meanwhile.
  if (!prepared) return result('complete', 0, 0, (await acceleratorStatus(session)).vector_bytes)
  if (options.dryRun) return result('off', prepared.missing, 0, null)

  let after: string | null = null
  let filled = 0
  let batches = 0
  const backfillStart = performance.now()
  for (;;) {
    const batch = await inTransaction(session, 'write', async (client) => {
      const {state, has_column: hasColumn} = await lockedState(client)
      if (state === 'complete') return null
      if (state !== 'backfilling' || !hasColumn) throw removedMeanwhile()
      const {
        rows: [next],
      } = await run(client, 'accelerator-next-batch', [after, options.batchSize])
      if (!next.last_id) return null
      const {rowCount} = await run(client, 'accelerator-backfill', [after, next.last_id])
      await run(client, 'accelerator-record-batch', [rowCount ?? 0])
      return {last: next.last_id as string, filled: rowCount ?? 0}
    })
    if (!batch) break
    after = batch.last
    filled += batch.filled
    batches++
    const rate = filled / Math.max((performance.now() - backfillStart) / 1000, 0.001)
    options.onProgress?.({
      filled,
      total: prepared.missing,
      rowsPerSecond: Math.round(rate),
      etaSeconds: rate > 0 ? Math.max(0, prepared.missing - filled) / rate : null,
    })
  }

  const done = await mutate(session, options, async (client) => {
    const {state, has_column: hasColumn} = await lockedForDdl(client)
    if (state !== 'complete' && (state !== 'backfilling' || !hasColumn)) throw removedMeanwhile()
    const p = await progressOf(client)
    if (state === 'complete') return {changes: p, audit: null}
    if (p.missing > 0) {
      throw new FluxError(`${p.missing} messages still lack their stored vector`, {
        kind: 'database',
        hint: 'rerun `fluxadmin search accelerate`: it continues where the backfill stopped',
      })
    }
    await run(client, 'accelerator-rank-column')
    await run(client, 'accelerator-complete')
    return {
      changes: p,
      audit: {
        eventType: 'admin.search.accelerator_completed',
        severity: 'info' as const,
        description: `search accelerator complete: ${p.filled} stored vectors`,
        metadata: {backfilled: filled, batches, vector_bytes: p.vector_bytes},
      },
    }
  })
  return result('complete', filled, batches, done.vector_bytes)
}

/** Ranking back to the content, then trigger, column and trigger function removed, in one transaction. */
export async function removeAccelerator(
  session: Session,
  options: MutationOptions,
): Promise<{was: AcceleratorState; removed: boolean; dry_run: boolean}> {
  const was = await mutate(session, options, async (client) => {
    const {state, has_column: hasColumn} = await lockedForDdl(client)
    if (state === 'off' && !hasColumn) return {changes: null, audit: null}
    for (const step of [
      'accelerator-rank-content',
      'accelerator-drop-trigger',
      'accelerator-drop-column',
      'accelerator-drop-fill-function',
      'accelerator-forget',
    ])
      await run(client, step)
    return {
      changes: state,
      audit: {
        eventType: 'admin.search.accelerator_removed',
        severity: 'warning' as const,
        description: `search accelerator removed (was ${state})`,
        metadata: {was: state},
      },
    }
  })
  return {was: was ?? 'off', removed: was !== null, dry_run: Boolean(options.dryRun)}
}
