import {Text} from 'ink'

export interface StatusBarProps {
  /** A y/n question waiting for an answer. */
  question?: string
  /** The `/` filter being typed. */
  editing?: string
  error?: string
  message?: string
  filter: string
  sort: string
  showIdle: boolean
  /** Only waiting or only blocking sessions. */
  only?: string
  /** How many sessions are tagged (space). */
  tagged?: number
}

/** The last line: a question, the filter being typed, an error, or the current sort and filter. */
export function StatusBar({question, editing, error, message, filter, sort, showIdle, only, tagged}: StatusBarProps) {
  if (question)
    return (
      <Text bold color="yellow" wrap="truncate">
        {question} [y/n]
      </Text>
    )
  if (editing !== undefined) return <Text wrap="truncate">/{editing}█</Text>
  if (error)
    return (
      <Text color="red" wrap="truncate">
        {error}
      </Text>
    )
  const parts = [
    tagged ? `${tagged} tagged (c/k act on them, esc clears)` : null,
    only && `${only} only`,
    sort && `sort: ${sort}`,
    filter && `filter: ${filter}`,
    showIdle ? 'idle shown' : null,
    message,
    '? help  q quit',
  ].filter(Boolean)
  return (
    <Text dimColor wrap="truncate">
      {parts.join('  |  ')}
    </Text>
  )
}
