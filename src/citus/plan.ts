import type pg from 'pg'
import {query} from '../db/queries.js'
import {
  BACKFILLS,
  KEYS,
  NULLABLE_ORGANIZATION,
  REFERENCE_TABLES,
  TENANT_FOREIGN_KEYS,
  TENANT_TABLES,
} from '../schema/citus-contract.js'

export type PlanPhase = 'reshape' | 'distribute' | 'constrain' | 'clean up'

/** One statement of `db distribute`'s plan, as it is printed with --dry-run and then run. */
export interface PlanStep {
  step: number
  phase: PlanPhase
  table_name: string
  row_count: number
  statement: string
}

/**
 * The statements that turn the single-node contract into the distributed layout, table by table: every
 * identifier comes from the contract's allow-list (src/citus/contract.ts) and is quoted by format('%I') on
 * the server. Reshape first (while every table is local, so the keys can change), then move the tables to
 * Citus, then the foreign keys between tenant tables come back, then the coordinator's copies are freed.
 */
export async function buildPlan(
  client: pg.ClientBase,
  rowCounts: Map<string, number>,
  shardCount: number,
): Promise<PlanStep[]> {
  const steps: PlanStep[] = []
  const add = async (phase: PlanPhase, table: string, name: string, params: unknown[]) => {
    const {
      rows: [{sql}],
    } = await client.query<{sql: string}>(query(`citus/${name}`).text, params)
    steps.push({step: steps.length + 1, phase, table_name: table, row_count: rowCounts.get(table) ?? 0, statement: sql})
  }
  for (const fk of TENANT_FOREIGN_KEYS) await add('reshape', fk.table, 'drop-constraint-statement', [fk.table, fk.name])
  for (const table of TENANT_TABLES) {
    const backfill = BACKFILLS.find((b) => b.table === table)
    if (backfill) {
      await add('reshape', table, 'add-organization-column-statement', [table])
      await add('reshape', table, 'backfill-organization-statement', [table, backfill.parent, backfill.via])
    }
    if (backfill || (NULLABLE_ORGANIZATION as readonly string[]).includes(table))
      await add('reshape', table, 'organization-not-null-statement', [table])
    for (const key of KEYS.filter((k) => k.table === table))
      await add('reshape', table, 'lead-key-statement', [table, key.name, key.kind, key.columns])
  }
  for (const table of REFERENCE_TABLES) await add('distribute', table, 'create-reference-table-statement', [table])
  const [first] = TENANT_TABLES
  for (const table of TENANT_TABLES) {
    await add(
      'distribute',
      table,
      'create-distributed-table-statement',
      table === first ? [table, shardCount, null] : [table, null, first],
    )
  }
  for (const fk of TENANT_FOREIGN_KEYS)
    await add('constrain', fk.table, 'add-tenant-foreign-key-statement', [
      fk.table,
      fk.name,
      fk.column,
      fk.parent,
      fk.cascade,
    ])
  for (const table of [...REFERENCE_TABLES, ...TENANT_TABLES])
    await add('clean up', table, 'truncate-local-data-statement', [table])
  return steps
}
