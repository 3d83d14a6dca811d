// bench/export: messages-export from a database with 1,000,000 messages, as CSV, NDJSON and JSON
// (all three through COPY, JSON lines built by the server) with fluxadmin, next to
// `psql -c "\copy (same SELECT) to stdout with csv header"`; times, the ratios to psql and to
// fluxadmin's CSV, and peak RSS at 100k and 1M rows. Also NDJSON and CSV through row objects
// (pg-query-stream), the path that tables still use.
//
//   npm run build
//   FLUXADMIN_SANDBOX_DIR=/var/lib/fluxadmin/sb-reports node bin/run.js sandbox start --size large
//   FLUXADMIN_SANDBOX_DIR=/var/lib/fluxadmin/sb-reports node bench/export.js      # or --db-url URL
//   add --full to also time CSV through row objects at 1M rows
import {spawn, spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {createReadStream, mkdtempSync, rmSync, statSync, openSync, closeSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import pg from 'pg'
import {query} from '../dist/db/queries.js'
import {toReport} from '../dist/reports/catalog.js'
import {copyTemplate} from '../dist/reports/run.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const bin = join(root, 'bin', 'run.js')
const argv = process.argv.slice(2)
const full = argv.includes('--full')
// psql and fluxadmin CSV run alternately this many times; the best time of each counts (noisy machines).
const repeat = Number(argv.includes('--repeat') ? argv[argv.indexOf('--repeat') + 1] : 2)
const url =
  argv[argv.indexOf('--db-url') + 1] && argv.includes('--db-url')
    ? argv[argv.indexOf('--db-url') + 1]
    : (process.env.DATABASE_URL ??
      spawnSync(process.execPath, [bin, 'sandbox', 'url'], {encoding: 'utf8'}).stdout.trim())
if (!url) throw new Error('pass --db-url or start a large sandbox (see the header of this file)')

const client = new pg.Client({connectionString: url})
await client.connect()
const total = Number((await client.query('SELECT count(*) FROM messages')).rows[0].count)
const since100k = (
  await client.query('SELECT created_at FROM messages ORDER BY created_at DESC OFFSET 99999 LIMIT 1')
).rows[0].created_at.toISOString()
const report = toReport(query('reports/messages-export'))
async function selectFor(since) {
  const {
    rows: [{sql}],
  } = await client.query('SELECT format($1::text, VARIADIC $2::text[]) AS sql', [
    copyTemplate(report),
    [null, since, null],
  ])
  return sql.replace(/\s+/g, ' ')
}
const dir = mkdtempSync(join(tmpdir(), 'fa-bench-'))
const RSS_HOOK =
  "data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss_kb='+process.resourceUsage().maxRSS+'\\n'))"

// Every run writes a file that is not there yet: removing the last run's output (a 56 MB file takes
// 13 ms to free) is not part of any tool's export, so it happens before the clock starts.
function run(command, args, {env = {}, stdoutTo, writes = stdoutTo} = {}) {
  return new Promise((resolve, reject) => {
    if (writes) rmSync(writes, {force: true})
    const fd = stdoutTo ? openSync(stdoutTo, 'w') : 'ignore'
    const started = process.hrtime.bigint()
    const child = spawn(command, args, {env: {...process.env, ...env}, stdio: ['ignore', fd, 'pipe']})
    let stderr = ''
    child.stderr.on('data', (d) => {
      stderr += d
    })
    child.on('error', reject)
    child.on('close', (code) => {
      if (typeof fd === 'number') closeSync(fd)
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      if (code !== 0) return reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr}`))
      resolve({seconds, rssMb: Number(/maxrss_kb=(\d+)/.exec(stderr)?.[1] ?? 0) / 1024})
    })
  })
}

const fluxadmin = (format, since, out, env = {}, extra = []) =>
  run(
    process.execPath,
    [
      `--import=${RSS_HOOK}`,
      bin,
      'reports',
      'run',
      'messages-export',
      '--db-url',
      url,
      '--format',
      format,
      '--out',
      out,
      ...(since ? ['--since', since] : []),
      ...extra,
    ],
    {env: {FLUXADMIN_REPORT_VIA: 'copy', ...env}, writes: out},
  )

function sha(file) {
  return new Promise((resolve) => {
    const h = createHash('sha256')
    createReadStream(file)
      .on('data', (d) => h.update(d))
      .on('end', () => resolve(h.digest('hex')))
  })
}

const results = []
console.log(
  `messages: ${total.toLocaleString('en-US')}; 100k window: --since ${since100k}; psql and fluxadmin csv: best of ${repeat} after a warm-up`,
)
for (const [label, since] of [
  ['100k', since100k],
  ['1M', null],
]) {
  const select = await selectFor(since)
  const psqlOut = join(dir, `psql-${label}.csv`)
  const csvOut = join(dir, `fa-${label}.csv`)
  const psqlRun = () =>
    run('psql', [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', `\\copy (${select}) to stdout with csv header`], {
      env: {PGTZ: 'UTC'},
      stdoutTo: psqlOut,
    })
  await psqlRun() // warm-up: caches, sort files
  let psql
  let csv
  for (let i = 0; i < repeat; i++) {
    const p = await psqlRun()
    const c = await fluxadmin('csv', since, csvOut)
    if (!psql || p.seconds < psql.seconds) psql = p
    if (!csv || c.seconds < csv.seconds) csv = {...c, rssMb: Math.max(c.rssMb, csv?.rssMb ?? 0)}
  }
  let ndjson
  let json
  for (let i = 0; i < repeat; i++) {
    const n = await fluxadmin('ndjson', since, join(dir, `fa-${label}.ndjson`))
    const j = await fluxadmin('json', since, join(dir, `fa-${label}.json`))
    if (!ndjson || n.seconds < ndjson.seconds) ndjson = {...n, rssMb: Math.max(n.rssMb, ndjson?.rssMb ?? 0)}
    if (!json || j.seconds < json.seconds) json = {...j, rssMb: Math.max(j.rssMb, json?.rssMb ?? 0)}
  }
  const ndjsonRows =
    label === '100k' || full
      ? await fluxadmin('ndjson', since, join(dir, `fa-rows-${label}.ndjson`), {FLUXADMIN_REPORT_VIA: 'rows'})
      : null
  const rows =
    label === '100k' || full
      ? await fluxadmin('csv', since, join(dir, `fa-rows-${label}.csv`), {FLUXADMIN_REPORT_VIA: 'rows'})
      : null
  // The default protects formula-like cells; --csv-raw must give psql's bytes exactly.
  const rawOut = join(dir, `fa-raw-${label}.csv`)
  const raw = await fluxadmin('csv', since, rawOut, {}, ['--csv-raw'])
  const same = (await sha(psqlOut)) === (await sha(rawOut))
  results.push({label, psql, csv, raw, ndjson, json, ndjsonRows, rows, same, bytes: statSync(rawOut).size})
  for (const file of [`fa-${label}.ndjson`, `fa-${label}.json`, `fa-rows-${label}.ndjson`, `fa-rows-${label}.csv`])
    rmSync(join(dir, file), {force: true})
}
await client.end()
rmSync(dir, {recursive: true, force: true})

const f = (n) => n.toFixed(2)
console.log('\nrows  tool                                 seconds  vs psql  vs csv  peak RSS MB')
const line = (label, tool, m, csv, psql) =>
  console.log(
    `${label.padEnd(5)} ${tool.padEnd(36)} ${f(m.seconds).padStart(7)}  ${f(m.seconds / psql.seconds).padStart(7)} ${csv ? f(m.seconds / csv.seconds).padStart(7) : '      -'}  ${m.rssMb ? f(m.rssMb).padStart(11) : '          -'}`,
  )
for (const r of results) {
  line(r.label, 'psql \\copy csv', r.psql, null, r.psql)
  line(r.label, 'fluxadmin csv (COPY)', r.csv, r.csv, r.psql)
  line(r.label, 'fluxadmin csv (COPY, --csv-raw)', r.raw, r.csv, r.psql)
  line(r.label, 'fluxadmin ndjson (COPY, server JSON)', r.ndjson, r.csv, r.psql)
  line(r.label, 'fluxadmin json (COPY, server JSON)', r.json, r.csv, r.psql)
  if (r.ndjsonRows) line(r.label, 'fluxadmin ndjson (row objects)', r.ndjsonRows, r.csv, r.psql)
  if (r.rows) line(r.label, 'fluxadmin csv (row objects)', r.rows, r.csv, r.psql)
  console.log(`      --csv-raw identical to psql's: ${r.same ? 'yes' : 'NO'} (${(r.bytes / 1e6).toFixed(1)} MB)`)
}
const [small, big] = results
const growth = (a, b) => `${((b / a - 1) * 100).toFixed(1)} %`
console.log(
  `\ngoal CSV <= 1.3x psql at 1M: ${f(big.csv.seconds / big.psql.seconds)}x ${big.csv.seconds / big.psql.seconds <= 1.3 ? 'met' : 'NOT met'}`,
)
for (const r of results) {
  for (const format of ['ndjson', 'json']) {
    const ratio = r[format].seconds / r.csv.seconds
    console.log(`goal ${format} <= 1.3x csv at ${r.label}: ${f(ratio)}x ${ratio <= 1.3 ? 'met' : 'NOT met'}`)
  }
}
console.log(
  `goal peak RSS 1M within 10 % of 100k: csv ${growth(small.csv.rssMb, big.csv.rssMb)}, ndjson ${growth(small.ndjson.rssMb, big.ndjson.rssMb)}, json ${growth(small.json.rssMb, big.json.rssMb)}`,
)
