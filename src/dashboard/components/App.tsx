import {Box, type Key, Text, useApp, useInput, useStdout} from 'ink'
import {useCallback, useEffect, useRef, useState} from 'react'
import type {BackendSignal} from '../../activity/backend.js'
import {terminalSafe} from '../../output/terminal-safe.js'
import type {Poller} from '../poller.js'
import type {ActivityRow, PollerState, SkippablePane} from '../types.js'
import {
  SESSION_VIEWS,
  type SessionView,
  SORTS,
  sortCount,
  sortName,
  TABS,
  type Tab,
  VIEW_KEYS,
  viewRows,
} from '../view.js'
import {ActivityPane} from './ActivityPane.js'
import {Header} from './Header.js'
import {HelpPane} from './HelpPane.js'
import {LockTreePane} from './LockTreePane.js'
import {OverviewPane} from './OverviewPane.js'
import {type QueryDetail, QueryPane} from './QueryPane.js'
import {StatusBar} from './StatusBar.js'
import {SUMMARY_LINES} from './Summary.js'
import {TenantsPane} from './TenantsPane.js'
import {TopQueriesPane} from './TopQueriesPane.js'

export interface AppProps {
  poller: Poller
  /** host:port/database, for the header. */
  title: string
  /** Fixed size (tests); by default the terminal's, following resizes. */
  width?: number
  height?: number
  initialTab?: Tab
  /** Called once when the user quits (q or Ctrl-C). */
  onExit?: () => void
}

interface Question {
  signal: BackendSignal
  /** The selected session, or every tagged one. */
  pids: number[]
  text: string
}

function useTerminalSize(fixed: {width?: number; height?: number}) {
  const {stdout} = useStdout()
  const read = () => ({width: fixed.width ?? stdout.columns ?? 100, height: fixed.height ?? stdout.rows ?? 24})
  const [size, setSize] = useState(read)
  useEffect(() => {
    const onResize = () => setSize(read())
    stdout.on('resize', onResize)
    return () => {
      stdout.off('resize', onResize)
    }
  }, [stdout, fixed.width, fixed.height])
  return size
}

/** The pane whose skip line (a lock holder, an error) shows above the rows of each view. */
const SKIPPABLE: Partial<Record<string, SkippablePane>> = {
  activity: 'activity',
  locks: 'locks',
  top: 'top_queries',
  tenants: 'tenants',
}

/** The root: owns the keys, quitting (q, Ctrl-C), and which pane shows; the panes only draw rows they are given. */
export function App({
  poller,
  title,
  width: fixedWidth,
  height: fixedHeight,
  initialTab = 'activity',
  onExit,
}: AppProps) {
  const {exit} = useApp()
  const {width, height} = useTerminalSize({width: fixedWidth, height: fixedHeight})
  const [state, setState] = useState<PollerState>(poller.getState())
  const [tab, setTab] = useState<Tab>(initialTab)
  const [sorts, setSorts] = useState<Record<Tab, number>>({overview: 0, activity: 0, top: 0, tenants: 0})
  const [selection, setSelection] = useState<Record<string, {index: number; key?: string}>>({})
  const [filter, setFilter] = useState('')
  const [editing, setEditing] = useState<string | undefined>()
  const [help, setHelp] = useState(false)
  const [lockTree, setLockTree] = useState(false)
  const [question, setQuestion] = useState<Question | undefined>()
  const [message, setMessage] = useState<string | undefined>()
  const [detail, setDetail] = useState<QueryDetail | undefined>()
  const [only, setOnly] = useState<SessionView>('all')
  // Sessions tagged with space (pg_activity's way): c and k act on all of them at once.
  const [tagged, setTagged] = useState<ReadonlySet<number>>(new Set())

  useEffect(() => poller.subscribe(setState), [poller])

  const data = state.data
  const view = tab === 'activity' && lockTree ? 'locks' : tab
  const rows = {
    activity: viewRows(
      (data?.activity ?? []).filter(SESSION_VIEWS[only]),
      SORTS.activity[sorts.activity % SORTS.activity.length],
      filter,
    ),
    locks: (data?.lockTree ?? []).filter(
      (r) => !filter || `${r.pid} ${r.query ?? ''} ${r.relation ?? ''}`.toLowerCase().includes(filter.toLowerCase()),
    ),
    top: viewRows(data?.topQueries ?? [], SORTS.top[sorts.top % SORTS.top.length], filter),
    tenants: viewRows(data?.tenants ?? [], SORTS.tenants[sorts.tenants % SORTS.tenants.length], filter),
    overview: [],
  }
  const count = rows[view].length
  // The selection follows its row (pid, statement, organization) when a tick or a sort reorders rows,
  // so that c / k act on the session the user picked; if that row is gone it keeps its position.
  const keys: string[] =
    view === 'activity'
      ? rows.activity.map((r) => String(r.pid))
      : view === 'locks'
        ? rows.locks.map((r) => `${r.pid}:${r.parent}`)
        : view === 'top'
          ? rows.top.map((r) => `${r.database}:${r.queryid}`)
          : view === 'tenants'
            ? rows.tenants.map((r) => r.organization_id)
            : []
  const current = selection[view]
  const kept = current?.key === undefined ? -1 : keys.indexOf(current.key)
  const selected = kept >= 0 ? kept : Math.min(current?.index ?? 0, Math.max(0, count - 1))
  const skipNote = SKIPPABLE[view] && !help && !detail ? data?.skipped?.[SKIPPABLE[view]!] : undefined
  const bodyHeight = Math.max(3, height - 4 - SUMMARY_LINES - (skipNote ? 1 : 0))

  const quit = () => {
    onExit?.()
    exit()
  }
  const move = (delta: number) => {
    const index = Math.max(0, Math.min(count - 1, selected + delta))
    setSelection({...selection, [view]: {index, key: keys[index]}})
  }
  const selectedPid = (): number | undefined => {
    if (view === 'activity') return rows.activity[selected]?.pid
    if (view === 'locks') return rows.locks[selected]?.pid
    return undefined
  }
  const toggleTag = () => {
    const pid = rows.activity[selected]?.pid
    if (pid === undefined) return
    const next = new Set(tagged)
    if (!next.delete(pid)) next.add(pid)
    setTagged(next)
    move(1)
  }
  const ask = (signal: BackendSignal) => {
    const verb = signal === 'cancel' ? 'Cancel the queries of' : 'Terminate'
    const live = [...tagged].filter((pid) => data?.activity.some((r) => r.pid === pid)).sort((a, b) => a - b)
    if (tagged.size > 0) {
      if (live.length === 0) {
        setTagged(new Set())
        setMessage('the tagged sessions have ended')
      } else
        setQuestion({
          signal,
          pids: live,
          text: `${verb} ${live.length} tagged backend${live.length === 1 ? '' : 's'} (${live.join(', ')})?`,
        })
      return
    }
    const pid = selectedPid()
    if (pid === undefined) {
      setMessage('select a session in Activity first')
      return
    }
    const s = data?.activity.find((r) => r.pid === pid) ?? data?.lockTree.find((r) => r.pid === pid)
    const who = s ? ` (${[s.user, s.application].filter(Boolean).join(', ')})` : ''
    setQuestion({
      signal,
      pids: [pid],
      text: `${signal === 'cancel' ? 'Cancel the query of' : 'Terminate'} backend ${pid}${who}?`,
    })
  }

  const showQuery = (s: ActivityRow | undefined) => {
    if (!s?.query) return
    setDetail({session: s})
    void poller.explain(s.query).then((plan) => setDetail((d) => (d?.session.pid === s.pid ? {...d, plan} : d)))
  }

  const onKey = (input: string, key: Key) => {
    if (key.ctrl && input === 'c') return quit()
    if (question) {
      setQuestion(undefined)
      const which = question.pids.length === 1 ? `backend ${question.pids[0]}` : `${question.pids.length} backends`
      if (input === 'y' || input === 'Y') {
        setMessage(`${question.signal === 'cancel' ? 'cancelling' : 'terminating'} ${question.pids.join(', ')}…`)
        setTagged(new Set())
        void poller.signal(question.pids, question.signal).then(setMessage)
      } else setMessage(`${which} left alone`)
      return
    }
    if (editing !== undefined) {
      if (key.return) {
        setFilter(editing)
        setEditing(undefined)
      } else if (key.escape) {
        setFilter('')
        setEditing(undefined)
      } else if (key.backspace || key.delete) setEditing(editing.slice(0, -1))
      else if (input && !key.ctrl && !key.meta) setEditing(editing + input)
      return
    }
    if (input === 'q') return quit()
    if (help || detail) {
      setHelp(false)
      setDetail(undefined)
      return
    }
    const tabIndex = TABS.findIndex((t) => t.key === tab)
    // The poller's state, not this render's copy: keys may come faster than renders.
    const live = poller.getState()
    if (key.tab) setTab(TABS[(tabIndex + (key.shift ? TABS.length - 1 : 1)) % TABS.length].key)
    else if (/^[1-4]$/.test(input)) setTab(TABS[Number(input) - 1].key)
    else if (key.upArrow) move(-1)
    else if (key.downArrow) move(1)
    else if (key.pageUp) move(-(bodyHeight - 1))
    else if (key.pageDown) move(bodyHeight - 1)
    else if (input === 's') setSorts({...sorts, [tab]: (sorts[tab] + 1) % sortCount(tab)})
    else if (input === '/') setEditing(filter)
    else if (input === ' ' && view === 'activity') toggleTag()
    else if (input === 'p' || input === ' ') poller.setPaused(!live.paused)
    else if (input === 'w' || input === 'b') {
      setOnly(only === VIEW_KEYS[input] ? 'all' : VIEW_KEYS[input])
      setTab('activity')
    } else if (key.return && view === 'activity') showQuery(rows.activity[selected])
    else if (input === '+' || input === '=')
      poller.setIntervalMs(live.intervalMs + (live.intervalMs < 1000 ? 500 : 1000))
    else if (input === '-') poller.setIntervalMs(live.intervalMs - (live.intervalMs <= 1000 ? 500 : 1000))
    else if (input === 'i') poller.setShowIdle(!live.showIdle)
    else if (input === 'l') {
      setLockTree(!lockTree)
      poller.setLockTree(!lockTree)
      setTab('activity')
    } else if (input === 'c') ask('cancel')
    else if (input === 'k') ask('terminate')
    else if (input === '?') setHelp(true)
    else if (key.escape) {
      setFilter('')
      setTagged(new Set())
    }
  }
  // The handler reads this render's state: Ink re-subscribes useInput handlers only in a passive
  // effect, which may run after the next key arrives, so keep the latest handler in a ref.
  const onKeyRef = useRef(onKey)
  onKeyRef.current = onKey
  useInput(useCallback((input: string, key: Key) => onKeyRef.current(input, key), []))

  let body
  if (help) body = <HelpPane height={bodyHeight} />
  else if (detail) body = <QueryPane detail={detail} width={width} height={bodyHeight} />
  else if (!data) body = <Text dimColor>{state.error ? 'waiting for the database…' : 'loading…'}</Text>
  else if (view === 'overview') body = <OverviewPane overview={data.overview} height={bodyHeight} />
  else if (view === 'activity')
    body = <ActivityPane rows={rows.activity} selected={selected} tagged={tagged} width={width} height={bodyHeight} />
  else if (view === 'locks')
    body = <LockTreePane rows={rows.locks} selected={selected} width={width} height={bodyHeight} />
  else if (view === 'top')
    body = (
      <TopQueriesPane
        rows={data.topQueries === null ? null : rows.top}
        selected={selected}
        width={width}
        height={bodyHeight}
      />
    )
  else
    body = (
      <TenantsPane
        rows={data.tenants === null ? null : rows.tenants}
        selected={selected}
        width={width}
        height={bodyHeight}
      />
    )

  const error = state.error && (state.retryAt ? `${state.error} (reconnecting)` : state.error)
  return (
    <Box flexDirection="column" width={width}>
      <Header title={title} state={state} tab={tab} width={width} />
      {skipNote && (
        <Text color="yellow" wrap="truncate">
          {terminalSafe(skipNote)}
        </Text>
      )}
      <Box height={bodyHeight} flexDirection="column">
        {body}
      </Box>
      <StatusBar
        question={question?.text}
        editing={editing}
        error={error}
        message={message}
        filter={filter}
        sort={view === 'locks' ? 'lock tree' : sortName(tab, sorts[tab])}
        showIdle={state.showIdle}
        only={only === 'all' ? undefined : only}
        tagged={tagged.size}
      />
    </Box>
  )
}
