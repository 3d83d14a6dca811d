import {createHash} from 'node:crypto'
import {createReadStream, existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {basename, join} from 'node:path'
import type {SchemaObject} from '../schema/migrate.js'
import {writeFileDurably} from '../util/durable.js'

const MANIFEST_SUFFIX = '.manifest.json'
const VERIFY_SUFFIX = '.verify.json'

/** Written beside every dump: what it should contain, all read in the dump's snapshot. */
export interface Manifest {
  fluxadmin_manifest: 1
  file: string
  format: 'custom' | 'directory'
  sha256: string
  size_bytes: number
  created_at: string
  duration_ms: number
  database: string
  server_version: string
  pg_dump_version: string
  migrations: Array<{version: string; name: string; checksum: string}>
  schema_objects: SchemaObject[]
  /** table -> exact row count */
  tables: Record<string, number>
  /** tenant table -> organization id (or "none") -> row count */
  organizations: Record<string, Record<string, number>>
}

/** The last `backup verify` of a dump, kept next to its manifest. */
export interface VerifyRecord {
  verified_at: string
  ok: boolean
  failed_step: string | null
  reason: string | null
  steps: Array<{step: number; name: string; status: string; duration_ms: number}>
}

export const manifestPath = (dump: string) => dump + MANIFEST_SUFFIX
export const verifyPath = (dump: string) => dump + VERIFY_SUFFIX

/** A manifest path or a dump path to the dump path. */
export function dumpPathOf(file: string): string {
  return file.endsWith(MANIFEST_SUFFIX) ? file.slice(0, -MANIFEST_SUFFIX.length) : file
}

export function readManifest(dump: string): Manifest | undefined {
  const path = manifestPath(dump)
  if (!existsSync(path)) return undefined
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Manifest
  } catch {
    return undefined
  }
}

function readVerifyRecord(dump: string): VerifyRecord | undefined {
  try {
    return JSON.parse(readFileSync(verifyPath(dump), 'utf8')) as VerifyRecord
  } catch {
    return undefined
  }
}

/** Writes JSON so that readers, and a crash, never leave half a file. */
export function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  return writeFileDurably(path, JSON.stringify(value, null, 2) + '\n', 0o600)
}

/** sha256 and size of a dump file, or of a directory-format dump (its files by name, in order). */
export async function digest(path: string): Promise<{sha256: string; size_bytes: number}> {
  const hash = createHash('sha256')
  let size = 0
  const files = statSync(path).isDirectory()
    ? readdirSync(path)
        .sort()
        .map((f) => join(path, f))
    : [path]
  for (const file of files) {
    if (files.length > 1 || file !== path) hash.update(basename(file) + '\0')
    size += statSync(file).size
    for await (const chunk of createReadStream(file, {highWaterMark: 1 << 20})) hash.update(chunk as Buffer)
  }
  return {sha256: hash.digest('hex'), size_bytes: size}
}

/** Every dump in a directory that has a manifest, newest first. */
export function listDumps(dir: string): Array<{dump: string; manifest: Manifest; verify?: VerifyRecord}> {
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((f) => f.endsWith(MANIFEST_SUFFIX) && !f.startsWith('.'))
    .map((f) => join(dir, dumpPathOf(f)))
    .flatMap((dump) => {
      const manifest = readManifest(dump)
      return manifest ? [{dump, manifest, verify: readVerifyRecord(dump)}] : []
    })
    .sort((a, b) => b.manifest.created_at.localeCompare(a.manifest.created_at))
}
