/**
 * On a Citus coordinator the rows carry their node (and pid is the global pid; sessions also carry the pid on
 * their node): those columns go right after pid.
 */
export function withNodeColumn(
  columns: string[],
  rows: ReadonlyArray<{node?: unknown; local_pid?: unknown}>,
): string[] {
  if (!rows.some((r) => r.node !== undefined)) return columns
  const extra = rows.some((r) => r.local_pid !== undefined) ? ['node', 'local_pid'] : ['node']
  const at = columns.indexOf('pid') + 1
  return [...columns.slice(0, at), ...extra, ...columns.slice(at)]
}
