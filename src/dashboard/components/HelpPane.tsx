import {Box, Text} from 'ink'

const KEYS: Array<[string, string]> = [
  ['tab, 1-4', 'switch pane (shift-tab goes back)'],
  ['↑ ↓ PgUp PgDn', 'move the selection'],
  ['s', 'cycle the sort of the pane'],
  ['/', 'filter rows by text (enter applies, esc clears)'],
  ['p', 'pause / resume refreshing (space too, outside Activity)'],
  ['space', 'tag / untag the selected session (Activity), as pg_activity; c / k then act on every tagged one'],
  ['w / b', 'only sessions waiting for a lock / blocking others (pg_activity F2 / F3); again: all'],
  ['enter', "the selected session's whole query and its plan (plain EXPLAIN, never ANALYZE)"],
  ['+ -', 'refresh interval up / down'],
  ['i', 'show / hide idle sessions (Activity)'],
  ['l', 'lock tree: who blocks whom (Activity)'],
  ['c', "cancel the selected backend's query, or those of every tagged one (y/n, one statement, audited)"],
  ['k', 'terminate the selected backend, or every tagged one (y/n, one statement, audited)'],
  ['?', 'this help (any key closes it)'],
  ['q, Ctrl-C', 'quit'],
]

export function HelpPane({height}: {height: number}) {
  return (
    <Box flexDirection="column" height={height}>
      {KEYS.slice(0, height).map(([key, what]) => (
        <Text key={key} wrap="truncate">
          <Text bold>{key.padEnd(16)}</Text>
          {what}
        </Text>
      ))}
    </Box>
  )
}
