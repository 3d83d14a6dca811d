import test from 'ava'
import pg from 'pg'
import {binaryCopyValues} from '../src/db/copy-binary.js'
import {freshDb} from './helpers/db.js'

const VALUES = ['{"a":"x\\ny"}', 'é😀 ünïcødé', 'x'.repeat(300), '', '\n']
const END = Buffer.from(',\n')

async function serverCopy(client: pg.Client, sql: string): Promise<Buffer> {
  const {default: copy} = await import('pg-copy-streams')
  const parts: Buffer[] = []
  for await (const chunk of client.query(copy.to(sql))) parts.push(chunk as Buffer)
  return Buffer.concat(parts)
}

async function values(chunks: Buffer[]): Promise<string> {
  const out: Buffer[] = []
  for await (const v of binaryCopyValues((async function* () { yield* chunks })(), END)) out.push(v)
  return Buffer.concat(out).toString('utf8')
}

test('the values of a real one-column binary COPY come out each with its end, however the chunks cut it', async (t) => {
  const db = await freshDb(t, {migrated: false})
  const rows = VALUES.map((v, n) => `($q$${v}$q$, ${n})`).join(', ')
  const bytes = await serverCopy(db.pg, `COPY (SELECT v FROM (VALUES ${rows}) AS u(v, n) ORDER BY n) TO STDOUT WITH (FORMAT binary)`)
  const whole = VALUES.map((v) => `${v},\n`).join('')
  t.is(await values([bytes]), whole)
  for (let cut = 0; cut <= bytes.length; cut++) {
    t.is(await values([bytes.subarray(0, cut), bytes.subarray(cut)]), whole, `cut at ${cut}`)
  }
  t.is(await values([...bytes].map((b) => Buffer.from([b]))), whole, 'one byte per chunk')
})

test('malformed binary COPY output is one clear error, never values read wrongly', async (t) => {
  const db = await freshDb(t, {migrated: false})
  const two = await serverCopy(db.pg, "COPY (SELECT 'a'::text, 'b'::text) TO STDOUT WITH (FORMAT binary)")
  const withNull = await serverCopy(db.pg, 'COPY (SELECT NULL::text) TO STDOUT WITH (FORMAT binary)')
  const one = await serverCopy(db.pg, "COPY (SELECT 'a'::text) TO STDOUT WITH (FORMAT binary)")
  const csv = await serverCopy(db.pg, "COPY (SELECT repeat('a', 40)) TO STDOUT WITH (FORMAT csv)")
  for (const [bytes, why] of [[two, /2 columns, not 1/], [withNull, /a NULL value/], [one.subarray(0, one.length - 2), /ended before its trailer/], [csv, /no PGCOPY signature/]] as const) {
    const error = await t.throwsAsync(values([bytes]))
    t.regex(error!.message, /^the server's binary COPY output is malformed: /)
    t.regex(error!.message, why)
  }
})
