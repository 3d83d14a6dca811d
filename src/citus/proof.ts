import type pg from 'pg'
import {query} from '../db/queries.js'

export interface TableProof {
  table_name: string
  rows_before: number
  rows_after: number
  /** Organizations with rows in this table (tenant tables), else null. */
  organizations: number | null
  equal: boolean
}

export interface OrganizationProof {
  table_name: string
  organization_id: string
  rows_before: number
  rows_after: number
}

/** What `db distribute` counted before it moved anything and again before it committed. */
export interface Proof {
  equal: boolean
  tables: TableProof[]
  /** Every organization's row count in every tenant table. */
  organizations: OrganizationProof[]
}

export interface Counts {
  tables: Map<string, number>
  organizations: Map<string, number>
}

/** Exact counts of every table and of every organization in every tenant table, in the caller's transaction. */
export async function countRows(client: pg.ClientBase, layout: 'single' | 'distributed'): Promise<Counts> {
  const tables = new Map<string, number>()
  for (const r of (
    await client.query<{table_name: string; row_count: number}>(query('db/table-row-counts').text, [null])
  ).rows)
    tables.set(r.table_name, Number(r.row_count))
  const organizations = new Map<string, number>()
  const file = layout === 'single' ? 'citus/organization-row-counts' : 'citus/distributed-organization-row-counts'
  for (const r of (
    await client.query<{table_name: string; organization_id: string; row_count: number}>(query(file).text)
  ).rows) {
    organizations.set(`${r.table_name}\u0000${r.organization_id}`, Number(r.row_count))
  }
  return {tables, organizations}
}

export function compareCounts(before: Counts, after: Counts): Proof {
  const perTable = new Map<string, number>()
  const organizations: OrganizationProof[] = []
  for (const key of [...new Set([...before.organizations.keys(), ...after.organizations.keys()])].sort()) {
    const [table_name, organization_id] = key.split('\u0000')
    perTable.set(table_name, (perTable.get(table_name) ?? 0) + 1)
    organizations.push({
      table_name,
      organization_id,
      rows_before: before.organizations.get(key) ?? 0,
      rows_after: after.organizations.get(key) ?? 0,
    })
  }
  const tables = [...new Set([...before.tables.keys(), ...after.tables.keys()])].sort().map((table_name) => {
    const rows_before = before.tables.get(table_name) ?? 0
    const rows_after = after.tables.get(table_name) ?? 0
    const orgsEqual = organizations
      .filter((o) => o.table_name === table_name)
      .every((o) => o.rows_before === o.rows_after)
    return {
      table_name,
      rows_before,
      rows_after,
      organizations: perTable.get(table_name) ?? null,
      equal: rows_before === rows_after && orgsEqual,
    }
  })
  return {equal: tables.every((t) => t.equal), tables, organizations}
}
