import {Box, Text} from 'ink'
import type {RunningPlan} from '../../activity/explain-running.js'
import {terminalSafe} from '../../output/terminal-safe.js'
import type {ActivityRow} from '../types.js'

export interface QueryDetail {
  session: ActivityRow
  /** undefined while EXPLAIN runs. */
  plan?: RunningPlan
}

/** The selected session's whole query and its plain EXPLAIN (Enter opens it, any key closes it). */
export function QueryPane({
  detail: {session: s, plan},
  width,
  height,
}: {
  detail: QueryDetail
  width: number
  height: number
}) {
  const wrap = (text: string) =>
    terminalSafe(text)
      .split('\n')
      .flatMap((line) =>
        line.length === 0 ? [''] : (line.match(new RegExp(`.{1,${Math.max(10, width)}}`, 'g')) ?? ['']),
      )
  const lines = [
    terminalSafe(`pid ${s.pid}  ${[s.user, s.database, s.application, s.state].filter(Boolean).join('  ')}`),
    '',
    ...wrap(s.query ?? ''),
    '',
    ...(plan === undefined
      ? ['EXPLAIN …']
      : 'plan' in plan
        ? ['EXPLAIN', ...plan.plan.map(terminalSafe)]
        : [terminalSafe(plan.reason)]),
  ]
  return (
    <Box flexDirection="column" height={height}>
      {lines.slice(0, height).map((line, i) => (
        <Text key={i} bold={i === 0} wrap="truncate">
          {line}
        </Text>
      ))}
    </Box>
  )
}
