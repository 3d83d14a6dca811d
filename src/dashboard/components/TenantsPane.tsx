import {Text} from 'ink'
import {num} from '../format.js'
import type {TenantRow} from '../types.js'
import {Table} from './Table.js'

export interface TenantsPaneProps {
  rows: TenantRow[] | null
  selected: number
  width: number
  height: number
}

/** Organizations with the most messages and uploads in the last 5 minutes and hour. */
export function TenantsPane({rows, selected, width, height}: TenantsPaneProps) {
  if (rows === null)
    return <Text color="yellow">not a FluxStudio database: no messages, files or organizations tables</Text>
  return (
    <Table
      width={width}
      height={height}
      selected={selected}
      empty="no messages or uploads in the last hour"
      columns={[
        {title: 'organization', width: 24},
        {title: 'msgs 5m', width: 8, align: 'right'},
        {title: 'msgs 1h', width: 8, align: 'right'},
        {title: 'files 5m', width: 8, align: 'right'},
        {title: 'files 1h', width: 8, align: 'right'},
        {title: 'name', width: 0},
      ]}
      rows={rows.map((r) => ({
        key: r.organization_id,
        cells: [r.slug, num(r.messages_5m), num(r.messages_1h), num(r.files_5m), num(r.files_1h), r.name],
      }))}
    />
  )
}
