import {serverUser} from '../cluster/control.js'
import {checkStanza, findPgBackRest, stanzaInfo} from './pgbackrest.js'
import {ageSeconds, listBackups, type BackupListRow} from './retention.js'

export interface ListOptions {
  dir: string
  stanza?: string
  config?: string
  now?: Date
}

/** The dumps of --dir and the pgBackRest backups of --stanza (`pgbackrest info`), newest first. */
export async function listAllBackups(options: ListOptions): Promise<BackupListRow[]> {
  const now = options.now ?? new Date()
  const rows = listBackups(options.dir, now)
  if (options.stanza !== undefined) {
    checkStanza(options.stanza)
    const info = await stanzaInfo({
      path: findPgBackRest(),
      stanza: options.stanza,
      config: options.config,
      runAs: serverUser(),
    })
    rows.push(
      ...info.backups.map((b): BackupListRow => ({
        file: b.label,
        database: `stanza ${info.stanza}`,
        created_at: b.stopped_at,
        age_s: ageSeconds(b.stopped_at, now),
        size_bytes: b.repo_size_bytes,
        format: `pgbackrest ${b.type}`,
        verified: null,
        verified_at: null,
        failed_step: null,
      })),
    )
  }
  return rows.sort((a, b) => b.created_at.getTime() - a.created_at.getTime())
}
