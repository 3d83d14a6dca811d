import {usageError} from '../errors.js'

/** libpq connection keywords (https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-PARAMKEYWORDS). */
export const KEYWORDS = new Set([
  'host',
  'hostaddr',
  'port',
  'dbname',
  'user',
  'password',
  'passfile',
  'require_auth',
  'channel_binding',
  'connect_timeout',
  'client_encoding',
  'options',
  'application_name',
  'fallback_application_name',
  'keepalives',
  'keepalives_idle',
  'keepalives_interval',
  'keepalives_count',
  'tcp_user_timeout',
  'replication',
  'gssencmode',
  'sslmode',
  'requiressl',
  'sslnegotiation',
  'sslcompression',
  'sslcert',
  'sslkey',
  'sslpassword',
  'sslcertmode',
  'sslrootcert',
  'sslcrl',
  'sslcrldir',
  'sslsni',
  'requirepeer',
  'ssl_min_protocol_version',
  'ssl_max_protocol_version',
  'krbsrvname',
  'gsslib',
  'gssdelegation',
  'service',
  'target_session_attrs',
  'load_balance_hosts',
])

/** Connection keywords and their values, as libpq names them (dbname, not database). */
export type ConnInfo = Record<string, string>

const HINT = 'expected postgresql://user:password@host:port/database or host=... port=... dbname=... user=...'

/** A libpq connection string: a postgres:// or postgresql:// URI, or keyword/value pairs. */
export function parseConnInfo(text: string): ConnInfo {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)
  if (scheme) {
    if (!/^postgres(ql)?$/i.test(scheme[1]))
      throw usageError(
        `unsupported connection URI scheme "${scheme[1]}://"`,
        'only postgresql:// and postgres:// URIs connect to PostgreSQL',
      )
    return parseUri(text)
  }
  if (!text.includes('=')) throw usageError('the connection string is not valid', HINT)
  return parseKeywordValue(text)
}

function keyword(key: string, info: ConnInfo, value: string): void {
  if (!KEYWORDS.has(key))
    throw usageError(
      `invalid connection option "${key}"`,
      'see https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-PARAMKEYWORDS',
    )
  info[key] = value
}

/** `postgresql://[user[:password]@][host][:port][/dbname][?keyword=value&...]`, percent-decoded; query keywords win. */
function parseUri(text: string): ConnInfo {
  const [, authority, path, params] = /^[^:]+:\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/.exec(text)!
  const info: ConnInfo = {}
  const at = authority.lastIndexOf('@')
  if (at >= 0) {
    const userinfo = authority.slice(0, at)
    const colon = userinfo.indexOf(':')
    if (colon >= 0) info.password = decode(userinfo.slice(colon + 1))
    if (userinfo.slice(0, colon >= 0 ? colon : undefined))
      info.user = decode(userinfo.slice(0, colon >= 0 ? colon : undefined))
  }
  // host[:port] or several, comma-separated (libpq tries them in order); a missing part is the default.
  const hosts = authority
    .slice(at + 1)
    .split(',')
    .map((hostport) => {
      const [, host, port] = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(hostport)!
      return {host: decode(host.replace(/^\[(.*)\]$/, '$1')), port: port ?? ''}
    })
  if (hosts.some((h) => h.host)) info.host = hosts.map((h) => h.host).join(',')
  if (hosts.some((h) => h.port)) info.port = hosts.map((h) => h.port).join(',')
  if (path.length > 1) info.dbname = decode(path.slice(1))
  for (const pair of params ? params.split('&') : []) {
    const eq = pair.indexOf('=')
    if (eq < 0) throw usageError('the connection URI is not valid: a query parameter has no "="', HINT)
    keyword(decode(pair.slice(0, eq)), info, decode(pair.slice(eq + 1)))
  }
  return info
}

function decode(text: string): string {
  let value: string | undefined
  try {
    value = decodeURIComponent(text)
  } catch {}
  if (value?.includes('\0'))
    throw usageError(
      'the connection URI holds a NUL byte (%00)',
      'PostgreSQL names, hosts and passwords cannot hold NUL',
    )
  if (value !== undefined) return value
  throw usageError(
    'the connection URI is not valid: bad percent-encoding',
    'encode reserved characters in the password as %XX, e.g. %40 for @',
  )
}

/** `keyword=value` pairs separated by spaces; a value may be 'single quoted', and \ escapes the next character. */
function parseKeywordValue(text: string): ConnInfo {
  const info: ConnInfo = {}
  const space = (i: number) => /\s/.test(text[i] ?? '')
  let i = 0
  const skip = () => {
    while (space(i)) i++
  }
  for (skip(); i < text.length; skip()) {
    let key = ''
    while (i < text.length && text[i] !== '=' && !space(i)) key += text[i++]
    skip()
    if (text[i] !== '=') throw usageError('the connection string is not valid: missing "=" after a keyword', HINT)
    i++
    skip()
    let value = ''
    const quoted = text[i] === "'"
    if (quoted) i++
    for (;;) {
      if (i >= text.length) {
        if (quoted) throw usageError('the connection string is not valid: unterminated quoted string', HINT)
        break
      }
      const c = text[i++]
      if (c === '\\' && i < text.length) value += text[i++]
      else if (quoted ? c === "'" : /\s/.test(c)) break
      else value += c
    }
    keyword(key, info, value)
  }
  return info
}
