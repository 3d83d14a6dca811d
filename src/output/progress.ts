import type {RawRows, Rows} from './format.js'

interface ProgressStream {
  isTTY?: boolean
  write(text: string): unknown
}

/**
 * Counts rows as they pass and shows `12,345 rows  45,678 rows/s` on stderr, a few times a
 * second, only when stderr is a terminal (cron and pipes get nothing). Raw CSV is counted by
 * line ends, so a quoted multi-line value may count twice until the exact total at the end.
 */
export function withProgress(rows: Rows, stream: ProgressStream = process.stderr, intervalMs = 250): Rows {
  if (!stream.isTTY) return rows
  const started = Date.now()
  let last = 0
  let count = 0
  const show = (final = false) => {
    const now = Date.now()
    if (!final && now - last < intervalMs) return
    last = now
    const rate = Math.round(count / Math.max((now - started) / 1000, 0.001))
    stream.write(
      `\r\u001B[K${count.toLocaleString('en-US')} rows  ${rate.toLocaleString('en-US')} rows/s${final ? '\n' : ''}`,
    )
  }
  if ('raw' in rows) {
    const raw = rows
    async function* counted() {
      for await (const chunk of raw.raw) {
        const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
        for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) count++
        show()
        yield chunk
      }
      count = raw.rowCount()
      show(true)
    }
    return {raw: counted(), format: raw.format, rowCount: () => raw.rowCount()} satisfies RawRows
  }
  const objects = rows
  return (async function* () {
    for await (const row of objects) {
      count++
      if ((count & 255) === 0) show()
      yield row
    }
    show(true)
  })()
}

/** `\r 120,000 / 1,000,000 rows  45,678 rows/s  ETA 19s` for a backfill, at most a few times a second. */
export function backfillProgressLine(
  stream: ProgressStream,
  intervalMs = 250,
): (p: {filled: number; total: number; rowsPerSecond: number; etaSeconds: number | null}) => void {
  let last = 0
  return (p) => {
    const now = Date.now()
    if (now - last < intervalMs && p.filled < p.total) return
    last = now
    const eta = p.etaSeconds === null ? '' : `  ETA ${Math.ceil(p.etaSeconds)}s`
    stream.write(
      `\r\u001B[K${p.filled.toLocaleString('en-US')} / ${p.total.toLocaleString('en-US')} rows  ${p.rowsPerSecond.toLocaleString('en-US')} rows/s${eta}${p.filled >= p.total ? '\n' : ''}`,
    )
  }
}

/**
 * A bar redrawn in place on a terminal (`onboard [###.......] 10% 1,234 lines read`), each step on a
 * line of its own below it; undefined without a terminal (cron and pipes get the result alone).
 */
export function progressBar(label: string, unit: string, stream: ProgressStream = process.stderr) {
  if (!stream.isTTY) return undefined
  return {
    update: (count: number, fraction: number) => {
      stream.write(
        `\r${label} [${'#'.repeat(Math.round(fraction * 30)).padEnd(30, '.')}] ${Math.round(fraction * 100)}% ${count.toLocaleString('en')} ${unit}`,
      )
    },
    step: (text: string) => stream.write(`\n  ${text}…`),
    end: () => stream.write('\n'),
  }
}
