import type {ActivityRow, TenantRow, TopQueryRow} from './types.js'

/** The panes the keys 1-4 (and tab) switch between. */
export const TABS = [
  {key: 'overview', title: 'Overview'},
  {key: 'activity', title: 'Activity'},
  {key: 'top', title: 'Top queries'},
  {key: 'tenants', title: 'Tenants'},
] as const
export type Tab = (typeof TABS)[number]['key']

/** pg_activity's F2 and F3: only the sessions that wait for a lock, or only those that block others. */
export const SESSION_VIEWS = {
  all: () => true,
  waiting: (r: ActivityRow) => r.blocked_by.length > 0 || r.wait_event_type === 'Lock',
  blocking: (r: ActivityRow) => r.blocking.length > 0,
}
export type SessionView = keyof typeof SESSION_VIEWS
export const VIEW_KEYS: Record<'w' | 'b', SessionView> = {w: 'waiting', b: 'blocking'}

interface Sort<T> {
  name: string
  compare: (a: T, b: T) => number
}

const desc =
  <T>(get: (r: T) => number | null) =>
  (a: T, b: T) =>
    (get(b) ?? -1) - (get(a) ?? -1)
const asc =
  <T>(get: (r: T) => string | number | null) =>
  (a: T, b: T) =>
    String(get(a) ?? '').localeCompare(String(get(b) ?? ''), 'en', {numeric: true})

/** What `s` cycles through, per pane; the first is the default. */
export const SORTS = {
  activity: [
    {name: 'duration', compare: desc<ActivityRow>((r) => r.duration_s)},
    {name: 'pid', compare: asc<ActivityRow>((r) => r.pid)},
    {name: 'user', compare: asc<ActivityRow>((r) => r.user)},
    {name: 'state', compare: asc<ActivityRow>((r) => r.state)},
    {name: 'cpu', compare: desc<ActivityRow>((r) => r.cpu_pct)},
    {name: 'mem', compare: desc<ActivityRow>((r) => r.mem_pct)},
    {
      name: 'io',
      compare: desc<ActivityRow>((r) =>
        r.read_bytes_per_s === null ? null : r.read_bytes_per_s + (r.write_bytes_per_s ?? 0),
      ),
    },
  ] as Array<Sort<ActivityRow>>,
  top: [
    {name: 'time', compare: desc<TopQueryRow>((r) => r.total_ms)},
    {name: 'calls', compare: desc<TopQueryRow>((r) => r.calls_per_s)},
    {name: 'mean', compare: desc<TopQueryRow>((r) => r.mean_ms)},
  ] as Array<Sort<TopQueryRow>>,
  tenants: [
    {name: 'messages 5m', compare: desc<TenantRow>((r) => r.messages_5m)},
    {name: 'files 5m', compare: desc<TenantRow>((r) => r.files_5m)},
    {name: 'messages 1h', compare: desc<TenantRow>((r) => r.messages_1h)},
    {name: 'files 1h', compare: desc<TenantRow>((r) => r.files_1h)},
  ] as Array<Sort<TenantRow>>,
}

export function sortCount(tab: Tab): number {
  return tab === 'overview' ? 1 : SORTS[tab].length
}

export function sortName(tab: Tab, index: number): string {
  return tab === 'overview' ? '' : SORTS[tab][index % SORTS[tab].length].name
}

/** Rows whose cells contain the `/` filter text (case-insensitive), in the chosen sort (stable). */
export function viewRows<T extends object>(rows: T[], sort: Sort<T>, filter: string): T[] {
  const needle = filter.trim().toLowerCase()
  const kept = needle
    ? rows.filter((r) =>
        Object.values(r).some((v) => v !== null && v !== undefined && String(v).toLowerCase().includes(needle)),
      )
    : rows
  return kept
    .map((r, i) => ({r, i}))
    .sort((a, b) => sort.compare(a.r, b.r) || a.i - b.i)
    .map((x) => x.r)
}
