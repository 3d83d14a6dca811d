import {existsSync, readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'
import type {ConnectionOptions} from 'node:tls'
import {FluxError, usageError} from '../errors.js'

export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const
export type SslMode = (typeof SSL_MODES)[number]

/** sslmode and its files, as libpq takes them (keywords, else PGSSLMODE, PGSSLROOTCERT, PGSSLCERT, PGSSLKEY). */
export interface SslSettings {
  mode: SslMode
  rootcert?: string
  cert?: string
  key?: string
}

export function sslSettings(mode: string | undefined, files: {rootcert?: string; cert?: string; key?: string}): SslSettings {
  const m = mode || 'prefer'
  if (!(SSL_MODES as readonly string[]).includes(m)) throw usageError(`invalid sslmode "${m}"`, `use one of ${SSL_MODES.join(', ')}`)
  return {mode: m as SslMode, ...Object.fromEntries(Object.entries(files).filter(([, v]) => v))}
}

/**
 * The first and, for allow and prefer, the second attempt, as libpq makes them: allow tries plain
 * first, prefer TLS first; require encrypts without verifying the certificate (unless a root
 * certificate is there, then as verify-ca); verify-ca checks the chain, verify-full the host name too.
 * A Unix socket never uses TLS. verify-full checks serverName (libpq's host when hostaddr is given).
 */
export function sslAttempts(s: SslSettings, host: string, serverName = host): Array<false | ConnectionOptions> {
  if (s.mode === 'disable' || host.startsWith('/')) return [false]
  const dir = join(homedir(), '.postgresql')
  const clientFiles: ConnectionOptions = {}
  const cert = s.cert ?? existing(join(dir, 'postgresql.crt'))
  const key = s.key ?? existing(join(dir, 'postgresql.key'))
  if (cert) clientFiles.cert = readPem(cert, 'sslcert')
  if (key) clientFiles.key = readPem(key, 'sslkey')
  const unverified = {...clientFiles, rejectUnauthorized: false}
  if (s.mode === 'allow') return [false, unverified]
  if (s.mode === 'prefer') return [unverified, false]
  const rootcert = s.rootcert ?? (s.mode === 'require' ? existing(join(dir, 'root.crt')) : join(dir, 'root.crt'))
  if (s.mode === 'require' && !rootcert) return [unverified]
  const verified: ConnectionOptions = {...clientFiles, rejectUnauthorized: true}
  if (rootcert !== 'system') verified.ca = readPem(rootcert!, 'sslrootcert')
  // node:tls is looked up only when a certificate is checked: loading it costs every command start-up time.
  verified.checkServerIdentity = s.mode === 'verify-full' ? (_name, cert) => process.getBuiltinModule('node:tls').checkServerIdentity(serverName, cert) : () => undefined
  return [verified]
}

function existing(path: string): string | undefined {
  return existsSync(path) ? path : undefined
}

function readPem(path: string, keyword: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read'
    throw new FluxError(`cannot connect: the ${keyword} file "${path}" ${reason}`, {
      kind: 'connection',
      hint: keyword === 'sslrootcert' ? 'give the CA certificate (sslrootcert, PGSSLROOTCERT or ~/.postgresql/root.crt), or use sslmode=require' : `check ${keyword} (or PG${keyword.toUpperCase()})`,
    })
  }
}
