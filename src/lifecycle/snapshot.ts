import {createHash} from 'node:crypto'
import {layoutQuery} from '../schema/citus-layout.js'
import type pg from 'pg'
import {CopyOutStream} from '../db/copy-out.js'
import {query} from '../db/queries.js'
import {PARTS, partFile, type PartSummary} from './parts.js'
import type {TarWriter} from './tar.js'

/**
 * Streams every part of one organization with COPY ... TO STDOUT (text format), in the caller's
 * transaction: into the archive when a writer is given, else only counted and hashed (dry runs, and
 * the check of an import against its manifest). The same statements on both sides give the same bytes.
 */
export async function streamParts(
  client: pg.ClientBase,
  orgId: string,
  withSecrets: boolean,
  writer?: TarWriter,
  onPart?: (part: PartSummary) => void,
): Promise<PartSummary[]> {
  await client.query(query('lifecycle/set-scope').text, [orgId, withSecrets ? 'on' : 'off'])
  const parts: PartSummary[] = []
  for (const table of PARTS) {
    const stream = client.query(
      new CopyOutStream((await layoutQuery(client, `lifecycle/export-${table}`)).text, {binary: false}, {lend: true}),
    )
    const release = (chunk: Buffer) => stream.release(chunk)
    const written = writer ? await writer.entry(partFile(table), stream, release) : await hashOnly(stream, release)
    const part = {table, file: partFile(table), rows: stream.rowCount, ...written}
    parts.push(part)
    onPart?.(part)
  }
  return parts
}

async function hashOnly(
  data: AsyncIterable<Buffer>,
  release: (chunk: Buffer) => void,
): Promise<{bytes: number; sha256: string}> {
  const hash = createHash('sha256')
  let bytes = 0
  for await (const chunk of data) {
    hash.update(chunk)
    bytes += chunk.length
    release(chunk)
  }
  return {bytes, sha256: hash.digest('hex')}
}
