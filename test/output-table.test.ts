import test from 'ava'
import {humanCell, humanDuration, humanTime, unitOf} from '../src/output/human.js'
import {pagerCommand} from '../src/output/pager.js'
import {hiddenNote, layoutTable, visibleLength} from '../src/output/table.js'
import {freshDb} from './helpers/db.js'

// Real rows, read as commands read them (bigint as numbers), with PostgreSQL's own types: uuid, text of every length, bigint bytes, timestamptz, float ratios.
const ROWS_SQL = `
  SELECT c.relname AS table_name, gen_random_uuid()::text AS id, repeat(c.relname || '-', 6) AS description,
         (c.oid::bigint * 1000003) AS total_bytes, now() - interval '3 days' AS created_at,
         c.oid::int AS pid, (c.relpages * 1000 + 12345)::bigint AS row_count, 0.987654::float8 AS hit_ratio
    FROM pg_class c WHERE c.relkind = 'r' AND c.relnamespace = 'pg_catalog'::regnamespace ORDER BY c.relname LIMIT 12`
const COLUMNS = ['table_name', 'description', 'row_count', 'total_bytes', 'hit_ratio', 'created_at', 'pid', 'id'].map(
  (key) => ({key}),
)

async function realRows(t: Parameters<Parameters<typeof test>[1]>[0]) {
  const db = await freshDb(t)
  const session = await db.session()
  return (await session.client.query(ROWS_SQL)).rows as Array<Record<string, unknown>>
}

const widest = (text: string) => Math.max(...text.trimEnd().split('\n').map(visibleLength))

test('fitted to 80 and 120 columns: text narrowed with an ellipsis, then the lowest-priority columns hidden', async (t) => {
  const rows = await realRows(t)
  const whole = layoutTable(rows, COLUMNS, {header: true, color: false})
  t.true(widest(whole.text) > 120, 'the natural table is wider than both terminals')
  for (const width of [80, 120]) {
    const fitted = layoutTable(rows, COLUMNS, {header: true, color: false, width})
    t.true(widest(fitted.text) <= width, `no line wider than ${width}`)
    t.regex(fitted.text, /…/)
    const head = fitted.text.split('\n')[0].split(/\s+/)
    t.deepEqual(
      [...head, ...fitted.hidden].sort(),
      COLUMNS.map((c) => c.key).sort(),
      'every column is shown or named as hidden',
    )
    // Hidden columns are always the last ones declared (declaration order is the priority).
    t.deepEqual(fitted.hidden, COLUMNS.map((c) => c.key).slice(COLUMNS.length - fitted.hidden.length))
  }
  const narrow = layoutTable(rows, COLUMNS, {header: true, color: false, width: 80})
  const wider = layoutTable(rows, COLUMNS, {header: true, color: false, width: 120})
  t.true(narrow.hidden.length > wider.hidden.length)
  t.false(wider.text.split('\n')[0].includes('…'), 'headers are never cut')
  // A priority list keeps the id although it is declared last.
  const kept = layoutTable(rows, COLUMNS, {header: true, color: false, width: 120, priority: ['table_name', 'id']})
  t.false(kept.hidden.includes('id'))
  t.true(kept.text.includes(String(rows[0].id)), 'ids are never narrowed')
  t.is(
    layoutTable(rows, COLUMNS, {header: true, color: false, width: 80, wide: true}).text,
    whole.text,
    '--wide: every column whole',
  )
})

test('-x prints one record per block within the width, long values continued whole; auto when not even the top columns fit', async (t) => {
  const rows = await realRows(t)
  const expanded = layoutTable(rows, COLUMNS, {header: true, color: false, width: 50, expanded: true})
  t.deepEqual(expanded.hidden, [])
  t.true(widest(expanded.text) <= 50)
  const blocks = expanded.text.split(/^-\[ RECORD \d+ \]-*\n/m).slice(1)
  t.is(blocks.length, rows.length)
  const first = blocks[0].trimEnd().split('\n')
  t.regex(first[0], /^table_name\s{2,}\S/)
  // The description is longer than the room: its lines join back to the whole value.
  const at = first.findIndex((l) => l.startsWith('description '))
  let end = at + 1
  while (end < first.length && first[end].startsWith(' ')) end++
  const pieces = first.slice(at, end)
  const valueAt = 'description'.length + 2
  t.is(pieces.map((l) => l.slice(valueAt)).join(''), rows[0].description)
  t.true(pieces.length > 1)

  const auto = layoutTable(rows, COLUMNS, {header: true, color: false, width: 40})
  t.regex(auto.text, /^-\[ RECORD 1 \]/, 'at 40 columns not even three columns fit: one record per block')
  const never = layoutTable(rows, COLUMNS, {header: true, color: false, width: 40, expanded: false})
  t.notRegex(never.text, /RECORD/, '--no-expanded keeps a table')
  t.true(widest(never.text) <= 40)
  const single = layoutTable(rows.slice(0, 1), COLUMNS, {header: true, color: false, width: 120})
  t.regex(single.text, /^-\[ RECORD 1 \]/, 'one record that would lose columns is shown whole as a block')
})

test('human units in table cells: sizes, durations, local times, counts, percentages; ids as they are', async (t) => {
  const rows = await realRows(t)
  const table = layoutTable(rows.slice(0, 3), COLUMNS, {header: true, color: false, wide: true}).text
  const row = rows[0]
  t.regex(humanCell(row.total_bytes, unitOf('total_bytes')), /^\d+\.\d (kB|MB|GB|TB)$/)
  t.is(humanCell(1968783797, 'bytes'), '1.8 GB')
  t.is(humanCell(row.created_at, unitOf('created_at')), humanTime(row.created_at as Date))
  t.regex(humanTime(row.created_at as Date), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)
  t.true(table.includes(humanTime(row.created_at as Date)))
  t.is(humanCell(row.row_count, unitOf('row_count')), (row.row_count as number).toLocaleString('en-US'))
  t.regex(table, /\d{1,3},\d{3}/, 'counts have thousands separators')
  t.is(humanCell(row.hit_ratio, unitOf('hit_ratio')), '98.8%')
  t.is(humanCell(row.pid, unitOf('pid')), String(row.pid), 'pids and ids are not counts')
  t.is(humanCell(42.5, unitOf('pct_total')), '42.5%')
  t.is(humanDuration(192_000), '3m12s')
  t.is(humanCell(0.4215, unitOf('mean_ms')), '0.42ms')
  t.is(humanCell(7.5, unitOf('duration_s')), '7.50s')
  t.is(humanCell(3.25, unitOf('xacts_per_s')), '3.25')
  t.is(humanCell(new Date(Date.now() - 3 * 3600_000), 'age'), '3h00m ago')
  t.is(humanCell(123456789, unitOf('xid_age')), '123,456,789')
})

test('the pager: FLUXADMIN_PAGER, else PAGER, else less -FRX; an empty value turns it off', (t) => {
  t.is(pagerCommand({FLUXADMIN_PAGER: '', PAGER: 'more'}), undefined)
  t.is(pagerCommand({FLUXADMIN_PAGER: 'most'}), 'most')
  t.is(pagerCommand({PAGER: 'more'}), 'more')
  t.is(pagerCommand({PAGER: ''}), undefined)
  t.is(pagerCommand({PAGER: 'cat'}), undefined)
  t.is(pagerCommand({PATH: '/usr/bin:/bin'}), 'less -FRX')
  t.is(pagerCommand({PATH: '/nonexistent'}), undefined)
})

test('the hidden-columns note fits the width it is given: fewer names, then the count and --wide alone', (t) => {
  const hidden = ['teams', 'projects', 'files', 'id', 'created_at']
  // As on a 100-column terminal, less the "fluxadmin: " prefix: the full note is 100 characters.
  t.is(
    hiddenNote(hidden, 89),
    '5 columns hidden (teams, projects, files, …): --wide shows all, -x one record per block',
  )
  t.is(
    hiddenNote(hidden),
    '5 columns hidden (teams, projects, files, id, created_at): --wide shows all, -x one record per block',
  )
  t.is(hiddenNote(hidden, 60), '5 columns hidden (teams, projects, …): --wide shows all')
  t.is(hiddenNote(hidden, 40), '5 columns hidden: --wide shows all')
  for (const width of [10, 30, 50, 70, 89, 99]) t.true(hiddenNote(hidden, width).length <= width, String(width))
})
