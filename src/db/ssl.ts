import {existsSync, readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'
import type {ConnectionOptions} from 'node:tls'
import {FluxError, usageError} from '../errors.js'

const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const
export type SslMode = (typeof SSL_MODES)[number]

/** sslmode and its files and limits, as libpq takes them (keywords, else their PGSSL* variables). */
export interface SslSettings {
  mode: SslMode
  rootcert?: string
  cert?: string
  key?: string
  /** sslpassword: the passphrase of an encrypted sslkey. */
  passphrase?: string
  /** sslcrl: revoked certificates, checked when the chain is (verify-ca, verify-full). */
  crl?: string
  /** sslcertmode=disable: no client certificate is sent. */
  noClientCert?: boolean
  minVersion?: TlsVersion
  maxVersion?: TlsVersion
}

const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const
type TlsVersion = (typeof TLS_VERSIONS)[number]

export function sslSettings(info: Record<string, string | undefined>): SslSettings {
  // requiressl=1 is the old spelling of sslmode=require.
  const m = info.sslmode || (info.requiressl === '1' ? 'require' : 'prefer')
  if (!(SSL_MODES as readonly string[]).includes(m))
    throw usageError(`invalid sslmode "${m}"`, `use one of ${SSL_MODES.join(', ')}`)
  const certmode = info.sslcertmode || 'allow'
  if (certmode === 'require')
    throw usageError(
      'sslcertmode=require is not supported: fluxadmin cannot tell whether the server asked for a certificate',
      "use sslcertmode=allow (the default) and the server's clientcert=verify-full",
    )
  if (certmode !== 'allow' && certmode !== 'disable')
    throw usageError(`invalid sslcertmode "${certmode}"`, 'one of disable, allow, require')
  if (info.sslcrldir)
    throw usageError('sslcrldir is not supported', 'give the revocation list as one PEM file: sslcrl=FILE')
  const version = (keyword: string, value: string | undefined) => {
    if (!value) return undefined
    if (!(TLS_VERSIONS as readonly string[]).includes(value))
      throw usageError(`invalid ${keyword} "${value}"`, `one of ${TLS_VERSIONS.join(', ')}`)
    return value as TlsVersion
  }
  return {
    // An empty keyword is the default, as in libpq.
    rootcert: info.sslrootcert || undefined,
    cert: info.sslcert || undefined,
    key: info.sslkey || undefined,
    passphrase: info.sslpassword || undefined,
    crl: info.sslcrl || undefined,
    mode: m as SslMode,
    noClientCert: certmode === 'disable',
    // libpq's default minimum, as node's.
    minVersion: version('ssl_min_protocol_version', info.ssl_min_protocol_version) ?? 'TLSv1.2',
    maxVersion: version('ssl_max_protocol_version', info.ssl_max_protocol_version),
  }
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
  const clientFiles: ConnectionOptions = {minVersion: s.minVersion, ...(s.maxVersion && {maxVersion: s.maxVersion})}
  const cert = s.noClientCert ? undefined : (s.cert ?? existing(join(dir, 'postgresql.crt')))
  const key = s.noClientCert ? undefined : (s.key ?? existing(join(dir, 'postgresql.key')))
  if (cert) clientFiles.cert = readPem(cert, 'sslcert')
  if (key) clientFiles.key = readPem(key, 'sslkey')
  if (key && s.passphrase) clientFiles.passphrase = s.passphrase
  const unverified = {...clientFiles, rejectUnauthorized: false}
  if (s.mode === 'allow') return [false, unverified]
  if (s.mode === 'prefer') return [unverified, false]
  const rootcert = s.rootcert ?? (s.mode === 'require' ? existing(join(dir, 'root.crt')) : join(dir, 'root.crt'))
  if (s.mode === 'require' && !rootcert) return [unverified]
  const verified: ConnectionOptions = {...clientFiles, rejectUnauthorized: true}
  if (rootcert !== 'system') verified.ca = readPem(rootcert!, 'sslrootcert')
  if (s.crl) verified.crl = readPem(s.crl, 'sslcrl')
  // node:tls is looked up only when a certificate is checked: loading it costs every command start-up time.
  verified.checkServerIdentity =
    s.mode === 'verify-full'
      ? (_name, cert) => process.getBuiltinModule('node:tls').checkServerIdentity(serverName, cert)
      : () => undefined
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
      hint:
        keyword === 'sslrootcert'
          ? 'give the CA certificate (sslrootcert, PGSSLROOTCERT or ~/.postgresql/root.crt), or use sslmode=require'
          : `check ${keyword} (or PG${keyword.toUpperCase()})`,
    })
  }
}
