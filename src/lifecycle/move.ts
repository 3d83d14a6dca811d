import {randomUUID} from 'node:crypto'
import {rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {recordAudit, resolveActor} from '../audit/record.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {usageError} from '../errors.js'
import {findOrg} from '../input/find.js'
import {removeStaleTemps, tempName} from '../util/files.js'
import {cleanupOnSignal} from '../util/signals.js'
import {checkNotBlank} from '../util/text.js'
import {exportOrg} from './export.js'
import {importOrg} from './import.js'
import type {PartSummary} from './parts.js'
import {purgeOrg} from './purge.js'

export interface MoveOptions {
  dryRun?: boolean
  deleteSource?: boolean
  actor?: string
  /** Where the archive is kept while it is copied (it holds password hashes; removed at the end). */
  workDir?: string
  onStep?: (step: string) => void
}

export interface MoveResult {
  moveId: string
  parts: PartSummary[]
  purged: boolean
}

/**
 * Copies a suspended organization to another database: an export with secrets from one snapshot,
 * an import in one transaction that re-reads the organization there and compares every table's
 * count and checksum with the source's before it commits, then audit rows with the same move id on
 * both sides, and with deleteSource a purge of the source, only after all that has passed.
 */
export async function moveOrg(
  source: Session,
  target: Session,
  ref: string,
  options: MoveOptions,
): Promise<MoveResult> {
  checkNotBlank(options.workDir, '--work-dir', 'leave --work-dir out (the system temp directory), or give a directory')
  // The archive has a temporary name with this process's pid: removed on every exit, and by any later move when a kill -9 left it.
  const dir = options.workDir ?? tmpdir()
  await removeStaleTemps(dir, MOVE_ARCHIVE)
  const org = await inTransaction(source, 'read', (client) => findOrg(client, ref))
  if (org.subscription_status !== 'suspended') {
    throw usageError(
      `organization ${org.slug} is ${org.subscription_status}: suspend it before moving it`,
      `writes during the copy would be lost: \`fluxadmin orgs suspend ${org.slug} --reason "moving"\``,
    )
  }
  const moveId = randomUUID()
  const file = tempName(join(dir, `fluxadmin-move-${moveId}.tar`))
  const off = cleanupOnSignal(() => rm(file, {force: true}))
  try {
    options.onStep?.(`exporting ${org.slug}`)
    const {manifest} = await exportOrg(source, org.id, {out: file, withSecrets: true, moveId})
    options.onStep?.(`importing into ${target.target.database} and verifying`)
    await importOrg(target, file, {dryRun: options.dryRun, actor: options.actor, moveId, verify: true})
    if (options.dryRun) return {moveId, parts: manifest.parts, purged: false}
    // READ WRITE: the source only reads (unless --delete-source); its session may default to read-only.
    await inTransaction(source, 'audit', (client) =>
      recordAudit(client, {
        eventType: 'admin.org.moved',
        severity: 'warning',
        actor: resolveActor(options.actor),
        description: `moved organization ${org.slug} to database ${target.target.database} (move ${moveId})`,
        metadata: {
          org_id: org.id,
          move_id: moveId,
          to_database: target.target.database,
          delete_source: Boolean(options.deleteSource),
          rows: Object.fromEntries(manifest.parts.map((p) => [p.table, p.rows])),
        },
      }),
    )
    if (options.deleteSource) {
      options.onStep?.(`purging ${org.slug} from the source`)
      await purgeOrg(source, org.id, {actor: options.actor, moveId})
    }
    return {moveId, parts: manifest.parts, purged: Boolean(options.deleteSource)}
  } finally {
    await rm(file, {force: true})
    off()
  }
}

/** The archives of moves (and the export's temporary file beside one): `.fluxadmin-move-UUID.tar.PID.STAMP.tmp`. */
const MOVE_ARCHIVE = /^\.+fluxadmin-move-[0-9a-f-]{36}\.tar\./
