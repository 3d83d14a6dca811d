import {recordAudit, resolveActor} from '../audit/record.js'
import type {Session} from '../db/session.js'
import {isStandbyRefusal} from '../db/standby.js'
import {inTransaction} from '../db/transaction.js'
import {findOrg} from '../input/find.js'
import {appliedMigrations} from '../schema/migrate.js'
import {createArchiveFile} from './archive-file.js'
import {ARCHIVE_FORMAT, ARCHIVE_VERSION, MANIFEST, MANIFEST_SUM, type Manifest, type PartSummary} from './parts.js'
import {streamParts} from './snapshot.js'
import {TarWriter} from './tar.js'

export interface ExportOptions {
  /** The archive path; without it (dry run) the parts are only counted and hashed. */
  out?: string
  withSecrets?: boolean
  actor?: string
  /** Part of `orgs move`, which writes its own audit rows once the copy is verified. */
  moveId?: string
  onPart?: (part: PartSummary) => void
}

export interface ExportResult {
  manifest: Manifest
  /** False on a standby (pg_is_in_recovery), which cannot take the audit row: the export is then not in the audit trail. */
  audited: boolean
}

/**
 * One REPEATABLE READ READ ONLY snapshot: every part streamed into a tar (or only hashed), then the
 * manifest. Runs through PgBouncer in transaction mode and on a replica: nothing but SELECT and COPY TO.
 */
export async function exportOrg(session: Session, ref: string, options: ExportOptions): Promise<ExportResult> {
  const {manifest, file} = await inTransaction(session, 'report', async (client) => {
    const org = await findOrg(client, ref)
    const migrations = (await appliedMigrations(client)).map(({version, name, checksum}) => ({version, name, checksum}))
    const file = options.out ? await createArchiveFile(options.out) : undefined
    try {
      const writer = file ? new TarWriter(file.handle) : undefined
      const parts = await streamParts(client, org.id, Boolean(options.withSecrets), writer, options.onPart)
      const manifest: Manifest = {
        format: ARCHIVE_FORMAT,
        format_version: ARCHIVE_VERSION,
        created_at: new Date().toISOString(),
        organization: {id: org.id, slug: org.slug, name: org.name},
        with_secrets: Boolean(options.withSecrets),
        migrations,
        parts,
      }
      if (writer) {
        const text = Buffer.from(JSON.stringify(manifest, null, 2) + '\n')
        const {sha256} = await writer.entry(MANIFEST, [text])
        await writer.entry(MANIFEST_SUM, [`${sha256}  ${MANIFEST}\n`])
        await writer.finish()
      }
      return {manifest, file}
    } catch (error) {
      throw file ? await file.fail(error) : error
    }
  })
  // Audited before the archive takes its name: an export the audit trail cannot hold leaves no archive.
  try {
    const audited = file && !options.moveId ? await auditExport(session, manifest, options) : true
    await file?.commit()
    return {manifest, audited}
  } catch (error) {
    throw file ? await file.fail(error) : error
  }
}

/** Written in a READ WRITE transaction, so a session that defaults to read-only is audited too; skipped only on a standby. */
async function auditExport(session: Session, manifest: Manifest, options: ExportOptions): Promise<boolean> {
  try {
    await inTransaction(session, 'audit', (client) =>
      recordAudit(client, {
        eventType: 'admin.org.exported',
        severity: options.withSecrets ? 'warning' : 'info',
        actor: resolveActor(options.actor),
        description: `exported organization ${manifest.organization.slug}${options.withSecrets ? ' with password hashes' : ''}`,
        metadata: {
          org_id: manifest.organization.id,
          with_secrets: manifest.with_secrets,
          rows: Object.fromEntries(manifest.parts.map((p) => [p.table, p.rows])),
        },
      }),
    )
    return true
  } catch (error) {
    if (isStandbyRefusal(error)) return false
    throw error
  }
}
