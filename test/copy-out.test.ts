import {createHash} from 'node:crypto'
import test from 'ava'
import pg from 'pg'
import {CopyOutParser, type CopyOutForm} from '../src/db/copy-out-parser.js'
import {CopyOutStream} from '../src/db/copy-out.js'
import {ReusingSocket} from '../src/db/socket.js'
import {freshDb} from './helpers/db.js'

const VALUES = ['{"a":"x\\ny"}', 'é😀 ünïcødé', 'x'.repeat(300), '', '\n']
const BINARY: CopyOutForm = {binary: true, between: Buffer.from(',\n|'), last: Buffer.from('.\n')}
const TEXT: CopyOutForm = {binary: false}
const valuesQuery = (format: string) =>
  `COPY (SELECT v FROM (VALUES ${VALUES.map((v, n) => `($q$${v}$q$, ${n})`).join(', ')}) AS u(v, n) ORDER BY n) TO STDOUT WITH (FORMAT ${format})`

/** Runs a COPY through CopyOutStream, keeping a copy of every socket chunk it read (the parser moves bytes inside them). */
async function copyOut(
  client: pg.Client,
  sql: string,
  form: CopyOutForm,
): Promise<{data: string; protocol: Buffer; rows: number}> {
  const socket = (client as unknown as {connection: pg.Connection}).connection.stream
  const emit = socket.emit.bind(socket)
  const seen: Buffer[] = []
  socket.emit = (event: string | symbol, ...args: unknown[]) => {
    if (event === 'data') seen.push(Buffer.from(args[0] as Buffer))
    return emit(event, ...args)
  }
  try {
    const stream = client.query(new CopyOutStream(sql, form))
    const out: Buffer[] = []
    for await (const chunk of stream) out.push(chunk as Buffer)
    return {data: Buffer.concat(out).toString('utf8'), protocol: Buffer.concat(seen), rows: stream.rowCount}
  } finally {
    socket.emit = emit
  }
}

/** The parser over fresh copies of `chunks`: the data, and the first byte of what it gave back to pg. */
function parse(form: CopyOutForm, chunks: Buffer[]): {data: string; rest: number | undefined} {
  const parser = new CopyOutParser(form)
  const out: Buffer[] = []
  for (const [n, chunk] of chunks.entries()) {
    const {data, rest} = parser.feed(Buffer.from(chunk))
    out.push(...data)
    // Once the COPY ended, the rest of this chunk and the chunks after it are pg's.
    if (rest) return {data: Buffer.concat(out).toString('utf8'), rest: Buffer.concat([rest, ...chunks.slice(n + 1)])[0]}
  }
  return {data: Buffer.concat(out).toString('utf8'), rest: undefined}
}

const cuts = (bytes: Buffer) => [
  ...Array.from({length: bytes.length + 1}, (_, cut) => [bytes.subarray(0, cut), bytes.subarray(cut)]),
  [...bytes].map((b) => Buffer.from([b])),
]

test('a real binary COPY gives each value with its end, and the messages after it go back to pg, however the socket cuts it', async (t) => {
  const db = await freshDb(t, {migrated: false})
  const whole = `${VALUES.join(',\n|')}.\n`
  const {data, protocol, rows} = await copyOut(db.pg, valuesQuery('binary'), BINARY)
  t.is(data, whole)
  t.is(rows, VALUES.length)
  for (const chunks of cuts(protocol)) {
    t.deepEqual(
      parse(BINARY, chunks),
      {data: whole, rest: 'C'.charCodeAt(0)},
      `cut into ${chunks.map((c) => c.length).join('+')}`,
    )
  }
  t.is((await db.pg.query('SELECT 1 AS one')).rows[0].one, 1, 'the connection reads on after the COPY')
})

test('a real CSV COPY gives the bytes the server sent, however the socket cuts it', async (t) => {
  const db = await freshDb(t, {migrated: false})
  const {data, protocol} = await copyOut(db.pg, valuesQuery('csv'), TEXT)
  const {
    rows: [{csv}],
  } = await db.pg.query(
    `SELECT string_agg(CASE WHEN v ~ '[",\\n]' OR v = '' THEN '"' || replace(v, '"', '""') || '"' ELSE v END, E'\\n' ORDER BY n) || E'\\n' AS csv FROM (VALUES ${VALUES.map((v, n) => `($q$${v}$q$, ${n})`).join(', ')}) AS u(v, n)`,
  )
  t.is(data, csv)
  for (const chunks of cuts(protocol)) t.deepEqual(parse(TEXT, chunks), {data: csv, rest: 'C'.charCodeAt(0)})
})

test('notices sent in the middle of a COPY are passed over', async (t) => {
  const db = await freshDb(t, {migrated: false})
  await db.pg.query(
    "CREATE FUNCTION noisy(n int) RETURNS text LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE 'row %', n; RETURN 'v' || n; END $$",
  )
  const {data} = await copyOut(db.pg, 'COPY (SELECT noisy(g) FROM generate_series(1, 3) g) TO STDOUT', TEXT)
  t.is(data, 'v1\nv2\nv3\n')
})

test("an error in the middle of a COPY is the server's error, and the connection stays usable", async (t) => {
  const db = await freshDb(t, {migrated: false})
  for (const [format, form] of [
    ['binary', BINARY],
    ['csv', TEXT],
  ] as const) {
    const error = await t.throwsAsync(
      copyOut(
        db.pg,
        `COPY (SELECT CASE WHEN g < 5000 THEN repeat('x', 100) ELSE (1 / (g - g))::text END FROM generate_series(1, 5001) g) TO STDOUT WITH (FORMAT ${format})`,
        form,
      ),
    )
    t.is((error as {code?: string}).code, '22012', error!.message)
    t.is((await db.pg.query('SELECT 1 AS one')).rows[0].one, 1)
  }
})

test('malformed binary COPY output is one clear error, never values read wrongly', async (t) => {
  const db = await freshDb(t, {migrated: false})
  const cases = [
    ["COPY (SELECT 'a'::text, 'b'::text) TO STDOUT WITH (FORMAT binary)", /2 columns, not 1/],
    ['COPY (SELECT NULL::text) TO STDOUT WITH (FORMAT binary)', /a NULL value/],
    ["COPY (SELECT repeat('a', 40)) TO STDOUT WITH (FORMAT csv)", /no PGCOPY signature/],
  ] as const
  for (const [sql, why] of cases) {
    const client = new pg.Client({connectionString: db.url})
    client.on('error', () => {})
    await client.connect()
    const error = await t.throwsAsync(copyOut(client, sql, BINARY))
    t.regex(error!.message, /^the server's binary COPY output is malformed: /)
    t.regex(error!.message, why)
    ;(client as unknown as {connection: pg.Connection}).connection.stream.destroy()
  }
  // The trailer's CopyData message taken out of real protocol bytes.
  const {protocol} = await copyOut(db.pg, "COPY (SELECT 'a'::text) TO STDOUT WITH (FORMAT binary)", BINARY)
  const trailer = protocol.indexOf(Buffer.from([0x64, 0, 0, 0, 6, 0xff, 0xff]))
  t.true(trailer > 0)
  const error = t.throws(() =>
    parse(BINARY, [Buffer.concat([protocol.subarray(0, trailer), protocol.subarray(trailer + 7)])]),
  )
  t.regex(error!.message, /ended before its trailer/)
})

test('a consumer that stops half-way leaves a usable connection: the rest of the COPY is read and dropped, ROLLBACK answers', async (t) => {
  const db = await freshDb(t, {migrated: false})
  await db.pg.query('BEGIN')
  const stream = db.pg.query(
    new CopyOutStream("COPY (SELECT g, repeat('x', 200) FROM generate_series(1, 200000) g) TO STDOUT", TEXT),
  )
  for await (const chunk of stream) {
    t.true((chunk as Buffer).length > 0)
    break
  }
  const answered = await Promise.race([
    db.pg
      .query('ROLLBACK')
      .then(() => db.pg.query('SELECT 1 AS one'))
      .then((r) => r.rows[0].one),
    new Promise((resolve) => setTimeout(() => resolve('no answer in 10 s'), 10_000)),
  ])
  t.is(answered, 1)
})

test('a lending COPY gives the bytes a copying one gives, whether its chunks come back late or never, and reuses a few blocks', async (t) => {
  const db = await freshDb(t, {migrated: false})
  const sql =
    "COPY (SELECT g || repeat('x', 300 + g % 700) FROM generate_series(1, 60000) g ORDER BY g) TO STDOUT WITH (FORMAT binary)"
  const form: CopyOutForm = {binary: true, between: Buffer.from('\n'), last: Buffer.from('\n')}
  const digest = async (client: pg.Client, lend: boolean, keep: number | 'never') => {
    const hash = createHash('sha256')
    const stream = client.query(new CopyOutStream(sql, form, {lend}))
    const held: Buffer[] = []
    let heldBytes = 0
    const memory = new Set<ArrayBufferLike>()
    for await (const chunk of stream) {
      memory.add((chunk as Buffer).buffer)
      if (keep === 'never') {
        hash.update(chunk)
        continue
      }
      // The bytes are read when the chunk is given back, as a file write would: a block filled
      // again too early would change them. `keep` bytes are held: 4 MB are several blocks.
      held.push(chunk)
      heldBytes += chunk.length
      while (heldBytes > keep) {
        const done = held.shift()!
        heldBytes -= done.length
        hash.update(done)
        stream.release(done)
      }
    }
    for (const done of held) hash.update(done)
    return {digest: hash.digest('hex'), buffers: memory.size}
  }
  const copying = await digest(db.pg, false, 0)
  const client = new pg.Client({connectionString: db.url, stream: () => new ReusingSocket()})
  await client.connect()
  t.teardown(() => client.end())
  const late = await digest(client, true, 4 << 20)
  t.is(late.digest, copying.digest)
  t.true(
    late.buffers <= 10 && copying.buffers > 100,
    `40 MB of COPY in ${late.buffers} buffers lending, ${copying.buffers} copying`,
  )
  t.is((await digest(client, true, 'never')).digest, copying.digest)
  t.is((await client.query('SELECT 1 AS one')).rows[0].one, 1)
})
