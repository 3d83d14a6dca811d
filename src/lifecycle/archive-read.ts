import {createHash} from 'node:crypto'
import {createReadStream} from 'node:fs'
import {open, type FileHandle} from 'node:fs/promises'
import {Readable} from 'node:stream'
import {basename} from 'node:path'
import {notFound, usageError} from '../errors.js'
import {
  ARCHIVE_FORMAT,
  ARCHIVE_VERSION,
  MANIFEST,
  MANIFEST_SUM,
  PARTS,
  partFile,
  type Manifest,
  type PartTable,
} from './parts.js'
import {readTarIndex, type TarEntry} from './tar.js'

export interface OpenedArchive {
  manifest: Manifest
  /** The bytes of one part, streamed from the file. */
  part(table: PartTable): NodeJS.ReadableStream
  close(): Promise<void>
}

const HINT = 'the archive is damaged or incomplete: export the organization again (`fluxadmin orgs export`)'

/**
 * Opens an archive and proves it whole before anything is written anywhere: tar headers, the
 * manifest's own checksum, every part the manifest lists (size and sha256), no part missing or extra.
 * Any problem is a usage error (exit 2).
 */
export async function openArchive(file: string): Promise<OpenedArchive> {
  const label = basename(file)
  const handle = await open(file, 'r').catch((e: NodeJS.ErrnoException) => {
    throw notFound(`cannot read ${file} (${e.code ?? e.message})`, 'check the path of the archive')
  })
  try {
    const damaged = (why: string) => usageError(`${label} is not a usable organization archive: ${why}`, HINT)
    const entries = new Map<string, TarEntry>()
    for (const e of await readTarIndex(handle).catch((error: Error) => {
      throw damaged(error.message)
    }))
      entries.set(e.name, e)
    const text = await readEntry(handle, entries.get(MANIFEST), damaged)
    const sum = (await readEntry(handle, entries.get(MANIFEST_SUM), damaged)).toString('utf8').split(/\s/)[0]
    if (sha256(text) !== sum) throw damaged('the manifest does not match its checksum')
    let manifest: Manifest
    try {
      manifest = JSON.parse(text.toString('utf8'))
    } catch {
      throw damaged('the manifest is not JSON')
    }
    if (manifest.format !== ARCHIVE_FORMAT || manifest.format_version !== ARCHIVE_VERSION)
      throw damaged(
        `format ${manifest.format} ${manifest.format_version}, expected ${ARCHIVE_FORMAT} ${ARCHIVE_VERSION}`,
      )
    const listed = manifest.parts.map((p) => p.table)
    if (listed.join() !== PARTS.join()) throw damaged(`parts ${listed.join(', ')}, expected ${PARTS.join(', ')}`)
    for (const part of manifest.parts) {
      const entry = entries.get(partFile(part.table))
      if (!entry) throw damaged(`${part.file} is missing`)
      if (entry.size !== part.bytes)
        throw damaged(`${part.file} has ${entry.size} bytes, the manifest says ${part.bytes}`)
      if ((await hashRange(file, entry)) !== part.sha256) throw damaged(`${part.file} does not match its sha256`)
    }
    return {
      manifest,
      part: (table) => rangeStream(file, entries.get(partFile(table))!),
      close: () => handle.close(),
    }
  } catch (error) {
    await handle.close()
    throw error
  }
}

async function readEntry(
  handle: FileHandle,
  entry: TarEntry | undefined,
  damaged: (why: string) => Error,
): Promise<Buffer> {
  if (!entry) throw damaged(`no ${MANIFEST} or ${MANIFEST_SUM}`)
  if (entry.size > 64 << 20) throw damaged(`${entry.name} is ${entry.size} bytes`)
  const buffer = Buffer.alloc(entry.size)
  await handle.read(buffer, 0, entry.size, entry.offset)
  return buffer
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')

function rangeStream(file: string, entry: TarEntry): NodeJS.ReadableStream {
  // createReadStream's end is inclusive, so an empty part needs its own empty stream.
  return entry.size === 0
    ? Readable.from([])
    : createReadStream(file, {start: entry.offset, end: entry.offset + entry.size - 1, highWaterMark: 1 << 20})
}

async function hashRange(file: string, entry: TarEntry): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of rangeStream(file, entry)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}
