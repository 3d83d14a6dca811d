import type pg from 'pg'
import {query} from '../db/queries.js'
import {TENANT_TABLES} from '../schema/citus-contract.js'

/** One tenant table's rows of the organization, before and after a move. */
export interface TableProof {
  table_name: string
  rows_before: number
  rows_after: number
  /** Rows of before that are there after with the same content. */
  unchanged: number
  missing: number
  checksum_before: string
  checksum_after: string
  equal: boolean
}

export const PROOF_COLUMNS = [
  'table_name',
  'rows_before',
  'rows_after',
  'unchanged',
  'missing',
  'checksum_before',
  'checksum_after',
  'equal',
]

const statement = async (client: pg.ClientBase, name: string, table: string) =>
  (await client.query<{sql: string}>(query(name).text, [table])).rows[0].sql

/** Creates the session's proof table (outside a transaction: a read-only one may not create tables, temporary or not). */
export async function createProofTable(client: pg.ClientBase): Promise<void> {
  await client.query(query('citus/move-proof-create').text)
}

/**
 * Records the organization's rows of every tenant table (primary key, md5 of the row) in a temporary table of
 * this session, read back by compareRows after the move. Rows written while it moves are counted in rows_after;
 * the proof is about the rows that were there.
 */
export async function recordRows(client: pg.ClientBase, organizationId: string): Promise<void> {
  await client.query(query('citus/move-proof-clear').text)
  for (const table of TENANT_TABLES)
    await client.query(await statement(client, 'citus/move-proof-snapshot-statement', table), [organizationId])
}

/** Per tenant table: the rows recorded before, found again, unchanged (equal), with a checksum of each side. */
export async function compareRows(client: pg.ClientBase, organizationId: string): Promise<TableProof[]> {
  const out: TableProof[] = []
  for (const table of TENANT_TABLES) {
    const {
      rows: [r],
    } = await client.query<Omit<TableProof, 'equal'>>(
      await statement(client, 'citus/move-proof-compare-statement', table),
      [organizationId],
    )
    out.push({...r, equal: r.missing === 0 && r.unchanged === r.rows_before && r.checksum_before === r.checksum_after})
  }
  return out
}
