import {findPgBackRest, pgbackrestError, runPgBackRest, stanzaInfo, type PgBackRest} from '../backup/pgbackrest.js'
import {serverUser} from '../cluster/control.js'
import type {CheckRow, StanzaHealth} from './types.js'

/** `pgbackrest check` waits this long for the WAL segment it switches to reach the archive. */
const CHECK_ARCHIVE_TIMEOUT_S = 30

export async function readStanza(stanza: string, config: string | undefined): Promise<StanzaHealth> {
  const r: PgBackRest = {path: findPgBackRest(), stanza, config, runAs: serverUser()}
  const info = await stanzaInfo(r)
  const out = await runPgBackRest(r, [`--archive-timeout=${CHECK_ARCHIVE_TIMEOUT_S}`, 'check'])
  return {
    info,
    check: {ok: out.code === 0, message: out.code === 0 ? 'pgbackrest check passed' : pgbackrestError(out.output)},
  }
}

export function backupAge(data: StanzaHealth): CheckRow {
  const newest = data.info.backups.at(-1)
  if (!newest) return {value: null, detail: `no backup in stanza ${data.info.stanza}: run pgbackrest backup`}
  const age = Math.max(0, Math.round((Date.now() - newest.stopped_at.getTime()) / 1000))
  return {
    value: age,
    detail: `newest backup ${newest.label} (${newest.type}) finished ${newest.stopped_at.toISOString()}; ${data.info.backups.length} backup(s) in stanza ${data.info.stanza}`,
  }
}

export function stanzaCheck(data: StanzaHealth): CheckRow {
  return {
    value: data.check.ok ? 0 : 1,
    detail: data.check.ok
      ? data.check.message
      : `pgbackrest check failed: ${data.check.message}; fix archive_command or the repository`,
  }
}
