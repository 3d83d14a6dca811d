import {Box, Text} from 'ink'
import {TABS, type Tab} from '../view.js'
import type {PollerState} from '../types.js'
import {Summary} from './Summary.js'

export interface HeaderProps {
  title: string
  state: PollerState
  tab: Tab
  width: number
}

/** The target and refresh status, pg_activity's summary figures, then the pane tabs. */
export function Header({title, state, tab, width}: HeaderProps) {
  const status = [
    state.connected || !state.error ? null : 'DISCONNECTED',
    state.paused ? 'PAUSED' : `every ${state.intervalMs / 1000}s`,
    state.data ? `db ${state.data.db_ms.toFixed(1)} ms` : null,
    state.data ? state.data.at.toISOString().slice(11, 19) : 'connecting…',
  ]
    .filter(Boolean)
    .join('  ')
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate">
        <Text bold color="cyan">
          fluxadmin dashboard
        </Text>{' '}
        {title} <Text color={state.connected ? undefined : 'red'}>{status}</Text>
      </Text>
      <Summary overview={state.data?.overview} width={width} />
      <Text wrap="truncate">
        {TABS.map((t, i) => (
          <Text key={t.key} inverse={t.key === tab}>{` ${i + 1} ${t.title} `}</Text>
        ))}
      </Text>
    </Box>
  )
}
