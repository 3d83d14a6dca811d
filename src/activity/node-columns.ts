/** On a Citus coordinator the rows carry their node (and pid is the global pid): the column goes right after pid. */
export function withNodeColumn(columns: string[], rows: ReadonlyArray<{node?: unknown}>): string[] {
  if (!rows.some((r) => r.node !== undefined)) return columns
  const at = columns.indexOf('pid') + 1
  return [...columns.slice(0, at), 'node', ...columns.slice(at)]
}
