import {execFileSync} from 'node:child_process'
import {chownSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {userInfo} from 'node:os'
import {join} from 'node:path'
import test from 'ava'
import {
  clusterUrl,
  freePort,
  initCluster,
  serverUser,
  startCluster,
  stopCluster,
  type ClusterSpec,
} from '../src/cluster/control.js'
import {dataDir} from '../src/cluster/postmaster.js'
import {CopyOutStream} from '../src/db/copy-out.js'
import {resolveTarget} from '../src/db/resolve.js'
import {openSession} from '../src/db/session.js'
import {runCli, type CliResult} from './helpers/cli.js'
import {adminUrl, freshDb} from './helpers/db.js'

const dir = join(process.env.FLUXADMIN_TEST_DIR!, 'ssl')
const certs = join(dir, 'certs')
// HOME without ~/.postgresql: no default root certificate or client certificate.
const home = join(dir, 'home')
const PW = 'ssl-cluster-pw-9f3k'
let spec: ClusterSpec

function openssl(...args: string[]) {
  execFileSync('openssl', args, {cwd: certs, stdio: 'pipe'})
}

/** A CA, a server certificate it signs for DNS:localhost only, and a client certificate for certuser. */
function makeCertificates() {
  mkdirSync(certs, {recursive: true})
  mkdirSync(home, {recursive: true})
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=fluxadmin test CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
  )
  writeFileSync(join(certs, 'san.ext'), 'subjectAltName=DNS:localhost\n')
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
  )
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'san.ext',
    '-out',
    'server.crt',
  )
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=certuser',
    '-keyout',
    'client.key',
    '-out',
    'client.csr',
  )
  openssl(
    'x509',
    '-req',
    '-in',
    'client.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-out',
    'client.crt',
  )
  // Revocation lists of the CA: one empty, one revoking the server's certificate.
  writeFileSync(join(certs, 'index.txt'), '')
  writeFileSync(join(certs, 'crlnumber'), '1000\n')
  writeFileSync(
    join(certs, 'ca.cnf'),
    '[ca]\ndefault_ca = d\n[d]\ndatabase = index.txt\ncrlnumber = crlnumber\ndefault_md = sha256\ndefault_crl_days = 2\n',
  )
  const ca = ['-config', 'ca.cnf', '-keyfile', 'ca.key', '-cert', 'ca.crt']
  openssl('ca', ...ca, '-gencrl', '-out', 'empty.crl')
  openssl('ca', ...ca, '-revoke', 'server.crt')
  openssl('ca', ...ca, '-gencrl', '-out', 'revoked.crl')
}

test.before(async () => {
  makeCertificates()
  const runAs = serverUser()
  spec = {
    dir: join(dir, 'cluster'),
    port: await freePort(),
    superuser: 'postgres',
    password: PW,
    binDir: process.env.FLUXADMIN_TEST_PG_BIN!,
    runAs,
    settings: {
      ssl: 'on',
      ssl_cert_file: "'server.crt'",
      ssl_key_file: "'server.key'",
      ssl_ca_file: "'ca.crt'",
      shared_preload_libraries: "''",
      max_connections: 20,
    },
  }
  await initCluster(spec)
  const data = dataDir(spec.dir)
  for (const name of ['server.crt', 'server.key', 'ca.crt']) {
    writeFileSync(join(data, name), readFileSync(join(certs, name)), {mode: 0o600})
    if (runAs) chownSync(join(data, name), runAs.uid, runAs.gid)
  }
  // TLS only: a plain TCP connection is refused by pg_hba.conf; certuser logs in with its certificate.
  writeFileSync(
    join(data, 'pg_hba.conf'),
    [
      'hostnossl all all 127.0.0.1/32 reject',
      'hostssl all certuser 127.0.0.1/32 cert',
      'hostssl all all 127.0.0.1/32 scram-sha-256',
    ].join('\n') + '\n',
  )
  await startCluster(spec)
  const r = await cli(['db', 'tables', '--db-url', `${clusterUrl(spec, 'postgres')}?sslmode=require`])
  if (r.code !== 0) throw new Error(`SSL cluster not reachable: ${r.stderr}`)
  const {default: pg} = await import('pg')
  const client = new pg.Client({connectionString: clusterUrl(spec, 'postgres'), ssl: {rejectUnauthorized: false}})
  await client.connect()
  await client.query('CREATE ROLE certuser LOGIN')
  await client.end()
})

test.after.always(async () => {
  if (spec) await stopCluster(spec, 'immediate')
})

function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runCli(args, {env: {HOME: home, ...env}})
}

const kv = (extra: string) => `host=127.0.0.1 port=${spec.port} dbname=postgres user=postgres password=${PW} ${extra}`

function oneLineExit3(
  t: {
    is: (a: unknown, b: unknown, m?: string) => void
    regex: (s: string, r: RegExp) => void
    notRegex: (s: string, r: RegExp) => void
  },
  r: CliResult,
) {
  t.is(r.code, 3, r.stderr)
  t.regex(r.stderr, /^Error: [^\n]+\nHint: [^\n]+\n$/)
  t.notRegex(r.stderr, /SECURITY WARNING|at .*\.js:\d+/)
}

test('sslmode prefer (the default) falls back to plain on a server without TLS, with no warning', async (t) => {
  for (const url of [`${adminUrl()}?sslmode=prefer`, adminUrl()]) {
    const r = await cli(['db', 'tables', '--db-url', url, '--format', 'json'])
    t.is(r.code, 0, r.stderr)
    t.is(r.stderr, '')
  }
  const required = await cli(['db', 'tables', '--db-url', `${adminUrl()}?sslmode=require`])
  oneLineExit3(t, required)
  t.regex(required.stderr, /does not support SSL/)
})

test('every sslmode against a TLS-only server: disable refused, allow retries with TLS, prefer and require encrypt, silently', async (t) => {
  const disabled = await cli(['db', 'tables', '--db-url', kv('sslmode=disable')])
  oneLineExit3(t, disabled)
  for (const mode of ['allow', 'prefer', 'require']) {
    const r = await cli(['db', 'tables', '--db-url', kv(`sslmode=${mode}`), '--format', 'json'])
    t.is(r.code, 0, `${mode}: ${r.stderr}`)
    t.is(r.stderr, '', mode)
  }
  // PGSSLMODE applies when the connection string has no sslmode.
  const fromEnv = await cli(['db', 'tables', '--db-url', kv('')], {PGSSLMODE: 'disable'})
  oneLineExit3(t, fromEnv)
})

test('verify-ca and verify-full check the certificate against sslrootcert / PGSSLROOTCERT', async (t) => {
  const ca = join(certs, 'ca.crt')
  const verifyCa = await cli(['db', 'tables', '--db-url', kv(`sslmode=verify-ca sslrootcert=${ca}`)])
  t.is(verifyCa.code, 0, verifyCa.stderr)
  t.is(verifyCa.stderr, '')
  // The certificate names localhost only: 127.0.0.1 is a mismatch for verify-full, not for verify-ca.
  oneLineExit3(t, await cli(['db', 'tables', '--db-url', kv(`sslmode=verify-full sslrootcert=${ca}`)]))
  const byName = await cli([
    'db',
    'tables',
    '--db-url',
    `host=localhost hostaddr=127.0.0.1 port=${spec.port} dbname=postgres user=postgres password=${PW} sslmode=verify-full sslrootcert=${ca}`,
  ])
  t.is(byName.code, 0, byName.stderr)
  // Environment variables, as libpq reads them.
  const env = {
    PGHOST: '127.0.0.1',
    PGPORT: String(spec.port),
    PGUSER: 'postgres',
    PGPASSWORD: PW,
    PGDATABASE: 'postgres',
    PGSSLMODE: 'verify-ca',
    PGSSLROOTCERT: ca,
  }
  const viaEnv = await cli(['db', 'tables'], env)
  t.is(viaEnv.code, 0, viaEnv.stderr)
  // A CA the server's certificate does not chain to, and no root certificate at all: exit 3, one line.
  const system = await cli(['db', 'tables', '--db-url', kv('sslmode=verify-full sslrootcert=system')])
  oneLineExit3(t, system)
  t.regex(system.stderr, /certificate/)
  const none = await cli(['db', 'tables', '--db-url', kv('sslmode=verify-ca')])
  oneLineExit3(t, none)
  t.regex(none.stderr, /sslrootcert file ".*root\.crt" does not exist/)
  // require with a root certificate verifies it, as libpq does (the client certificate is no CA).
  oneLineExit3(
    t,
    await cli(['db', 'tables', '--db-url', kv(`sslmode=require sslrootcert=${join(certs, 'client.crt')}`)]),
  )
})

test('a client certificate (sslcert / sslkey, PGSSLCERT / PGSSLKEY) logs in where pg_hba.conf says cert', async (t) => {
  const base = `host=127.0.0.1 port=${spec.port} dbname=postgres user=certuser sslmode=require`
  const withCert = await cli([
    'db',
    'tables',
    '--db-url',
    `${base} sslcert=${join(certs, 'client.crt')} sslkey=${join(certs, 'client.key')}`,
  ])
  t.is(withCert.code, 0, withCert.stderr)
  const viaEnv = await cli(['db', 'tables', '--db-url', base], {
    PGSSLCERT: join(certs, 'client.crt'),
    PGSSLKEY: join(certs, 'client.key'),
  })
  t.is(viaEnv.code, 0, viaEnv.stderr)
  oneLineExit3(t, await cli(['db', 'tables', '--db-url', base]))
  const missing = await cli(['db', 'tables', '--db-url', `${base} sslcert=/nonexistent/client.crt`])
  oneLineExit3(t, missing)
  t.regex(missing.stderr, /sslcert file "\/nonexistent\/client\.crt" does not exist/)
})

test('sslcrl: a revoked server certificate is refused where the chain is checked; ssl_min/max_protocol_version bound TLS', async (t) => {
  const ca = join(certs, 'ca.crt')
  const clean = await cli([
    'db',
    'tables',
    '--db-url',
    kv(`sslmode=verify-ca sslrootcert=${ca} sslcrl=${join(certs, 'empty.crl')}`),
  ])
  t.is(clean.code, 0, clean.stderr)
  const revoked = await cli(['db', 'tables', '--db-url', kv(`sslmode=verify-ca sslrootcert=${ca}`)], {
    PGSSLCRL: join(certs, 'revoked.crl'),
  })
  oneLineExit3(t, revoked)
  t.regex(revoked.stderr, /revoked/i)
  const version = async (extra: string) => {
    const session = await openSession(resolveTarget(kv(`sslmode=require ${extra}`)))
    try {
      return (await session.client.query('SELECT version FROM pg_stat_ssl WHERE pid = pg_backend_pid()')).rows[0]
        .version
    } finally {
      await session.close()
    }
  }
  t.is(await version('ssl_max_protocol_version=TLSv1.2'), 'TLSv1.2')
  t.is(await version('ssl_min_protocol_version=TLSv1.3'), 'TLSv1.3')
  const bad = await cli(['db', 'tables', '--db-url', kv('ssl_min_protocol_version=TLSv9')])
  t.is(bad.code, 2)
  t.regex(
    bad.stderr,
    /^Error: invalid ssl_min_protocol_version "TLSv9"\nHint: one of TLSv1, TLSv1.1, TLSv1.2, TLSv1.3\n/,
  )
})

test('channel_binding=require and require_auth: only the authentication they allow, or exit 3', async (t) => {
  const cert = `sslcert=${join(certs, 'client.crt')} sslkey=${join(certs, 'client.key')}`
  const certUser = `host=127.0.0.1 port=${spec.port} dbname=postgres user=certuser sslmode=require ${cert}`
  t.is(
    (await cli(['db', 'tables', '--db-url', kv('sslmode=require channel_binding=require')])).code,
    0,
    'SCRAM-SHA-256-PLUS over TLS',
  )
  const plain = await cli(['db', 'tables', '--db-url', `${adminUrl()}?channel_binding=require`])
  oneLineExit3(t, plain)
  t.regex(plain.stderr, /channel binding is required, but the server did not offer SCRAM-SHA-256-PLUS/)
  const noAuth = await cli(['db', 'tables', '--db-url', `${certUser} channel_binding=require`])
  oneLineExit3(t, noAuth)
  t.regex(noAuth.stderr, /channel binding is required, but the server asked for no authentication/)
  t.is((await cli(['db', 'tables', '--db-url', kv('sslmode=require require_auth=scram-sha-256')])).code, 0)
  t.is(
    (await cli(['db', 'tables', '--db-url', `${certUser} require_auth=none`])).code,
    0,
    'a certificate login asks for no password',
  )
  for (const allowed of ['md5', '!scram-sha-256', 'password,md5']) {
    const refused = await cli(['db', 'tables', '--db-url', kv(`sslmode=require require_auth=${allowed}`)])
    oneLineExit3(t, refused)
    t.regex(
      refused.stderr,
      new RegExp(`the server asked for SCRAM-SHA-256 authentication, which require_auth=${allowed} does not allow`),
    )
  }
  for (const [value, why] of [
    ['scram', /invalid require_auth method "scram"/],
    ['md5,!password', /mixes allowed and negated methods/],
  ] as const) {
    const r = await cli(['db', 'tables', '--db-url', kv(`require_auth=${value}`)])
    t.is(r.code, 2)
    t.regex(r.stderr, why)
  }
})

test('require_auth refuses a server asking for a cleartext password before the password is sent', async (t) => {
  // A server that asks for the password in clear, as a downgrading man in the middle would.
  const received: Buffer[] = []
  const sockets: import('node:net').Socket[] = []
  const {createServer} = await import('node:net')
  const server = createServer((socket) => {
    sockets.push(socket)
    let startup = true
    socket.on('data', (data) => {
      if (startup) {
        startup = false
        socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3]))
      } else received.push(data)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    for (const s of sockets) s.destroy()
    server.close()
  })
  const {port} = server.address() as import('node:net').AddressInfo
  const r = await cli([
    'db',
    'tables',
    '--db-url',
    `host=127.0.0.1 port=${port} dbname=x user=x password=secret-cleartext sslmode=disable require_auth=scram-sha-256`,
  ])
  oneLineExit3(t, r)
  t.regex(
    r.stderr,
    /the server asked for password \(cleartext\) authentication, which require_auth=scram-sha-256 does not allow/,
  )
  await new Promise((resolve) => setTimeout(resolve, 200))
  t.false(Buffer.concat(received).includes('secret-cleartext'), 'the password never went out')
})

test('connection options fluxadmin cannot honour are refused, never ignored (exit 2)', async (t) => {
  for (const [option, why] of [
    ['gssencmode=require', /gssencmode=require \(GSSAPI encryption\) is not supported/],
    ['requirepeer=postgres', /requirepeer is not supported/],
    ['sslnegotiation=direct', /sslnegotiation=direct is not supported/],
    ['replication=database', /a replication connection is not supported/],
    [`sslcrldir=${certs}`, /sslcrldir is not supported/],
    ['sslcertmode=require', /sslcertmode=require is not supported/],
  ] as const) {
    const r = await cli(['db', 'tables', '--db-url', kv(option)])
    t.is(r.code, 2, option)
    t.regex(r.stderr, why)
    t.regex(r.stderr, /^Error: [^\n]+\nHint: [^\n]+\n$/)
  }
  const noCert = await cli([
    'db',
    'tables',
    '--db-url',
    `host=127.0.0.1 port=${spec.port} dbname=postgres user=certuser sslmode=require sslcertmode=disable sslcert=${join(certs, 'client.crt')} sslkey=${join(certs, 'client.key')}`,
  ])
  oneLineExit3(t, noCert)
})

test('COPY is read off the TLS socket as off a plain one: text rows and binary values, many records long', async (t) => {
  const {default: pg} = await import('pg')
  const client = new pg.Client({connectionString: clusterUrl(spec, 'postgres'), ssl: {rejectUnauthorized: false}})
  await client.connect()
  t.teardown(() => client.end())
  const rows = 'FROM generate_series(1, 20000) g'
  // Lending is asked for and cannot apply (a TLS socket is not a ReusingSocket): chunks are the stream's own.
  const copied = async (sql: string, form: ConstructorParameters<typeof CopyOutStream>[1]) => {
    const parts: Buffer[] = []
    for await (const chunk of client.query(new CopyOutStream(sql, form, {lend: true}))) parts.push(chunk as Buffer)
    return Buffer.concat(parts).toString('utf8')
  }
  const {
    rows: [{text, lines}],
  } = await client.query(
    `SELECT string_agg(g || E'\\t' || repeat('x', g % 300 + 1), E'\\n' ORDER BY g) || E'\\n' AS text, string_agg(repeat('y', g % 500), E'\\n' ORDER BY g) || E'\\n' AS lines ${rows}`,
  )
  t.is(await copied(`COPY (SELECT g, repeat('x', g % 300 + 1) ${rows} ORDER BY g) TO STDOUT`, {binary: false}), text)
  t.is(
    await copied(`COPY (SELECT repeat('y', g % 500) ${rows} ORDER BY g) TO STDOUT WITH (FORMAT binary)`, {
      binary: true,
      between: Buffer.from('\n'),
      last: Buffer.from('\n'),
    }),
    lines,
  )
  t.is((await client.query('SELECT 1 AS one')).rows[0].one, 1)
})

test('keyword/value strings with libpq quoting; other URI schemes are usage errors', async (t) => {
  const db = await freshDb(t)
  const password = "a b'c\\d#e;f"
  await db.pg.query(
    `DROP ROLE IF EXISTS fa_quoted; CREATE ROLE fa_quoted LOGIN SUPERUSER PASSWORD '${password.replace(/'/g, "''")}'`,
  )
  t.teardown(() =>
    db.pg.query('DROP ROLE IF EXISTS fa_quoted').then(
      () => undefined,
      () => undefined,
    ),
  )
  const port = new URL(adminUrl()).port
  const quoted = `host=127.0.0.1 port = ${port} dbname='${db.name}' user=fa_quoted password='${password.replace(/[\\']/g, (c) => `\\${c}`)}'`
  const r = await cli(['db', 'tables', '--format', 'json', '--db-url', quoted])
  t.is(r.code, 0, r.stderr)
  t.false(r.stdout.includes(password) || r.stderr.includes(password))
  const viaEnv = await cli(['db', 'tables', '--format', 'json'], {FLUXADMIN_DB_URL: quoted})
  t.is(viaEnv.code, 0, viaEnv.stderr)
  for (const url of ['mysql://u:p@127.0.0.1/db', 'http://127.0.0.1:5432/db', "host='127.0.0.1 bogus=1"]) {
    const bad = await cli(['db', 'tables', '--db-url', url])
    t.is(bad.code, 2, `${url}: ${bad.stderr}`)
    t.regex(bad.stderr, /^Error: [^\n]+\nHint: [^\n]+\n$/)
  }
})

test('service file values are read as libpq reads them: # ; : / belong to the password', async (t) => {
  const db = await freshDb(t)
  const password = 'p#w;x:y/z = q'
  await db.pg.query(`DROP ROLE IF EXISTS fa_service; CREATE ROLE fa_service LOGIN SUPERUSER PASSWORD '${password}'`)
  t.teardown(() =>
    db.pg.query('DROP ROLE IF EXISTS fa_service').then(
      () => undefined,
      () => undefined,
    ),
  )
  const file = join(dir, 'pg_service.conf')
  writeFileSync(
    file,
    `# a comment line\n[other]\nhost=nowhere\n\n[flux]\n  host=127.0.0.1\nport=${new URL(adminUrl()).port}\nuser=fa_service\ndbname=${db.name}\npassword=${password}\nsslmode=disable\n`,
  )
  const r = await cli(['db', 'tables', '--format', 'json'], {PGSERVICE: 'flux', PGSERVICEFILE: file})
  t.is(r.code, 0, r.stderr)
  const viaKeyword = await cli(['db', 'tables', '--format', 'json', '--db-url', 'service=flux'], {PGSERVICEFILE: file})
  t.is(viaKeyword.code, 0, viaKeyword.stderr)
  writeFileSync(file, '[flux]\nhost = 127.0.0.1\n')
  const bad = await cli(['db', 'tables'], {PGSERVICE: 'flux', PGSERVICEFILE: file})
  t.is(bad.code, 2)
  t.regex(bad.stderr, /syntax error in service file .*, line 2/)
})

test('unmapped connection failures are exit 3 in one line, with long input cut', async (t) => {
  const socket = await cli(['db', 'tables', '--db-url', 'postgresql://u@/db?host=/nonexistent&port=5432'])
  oneLineExit3(t, socket)
  t.regex(socket.stderr, /no server is listening on the socket \/nonexistent\/\.s\.PGSQL\.5432\n/)
  const host = 'h'.repeat(100_000)
  const long = await cli(['db', 'tables', '--db-url', `postgres://u:x@${host}:5432/db`])
  oneLineExit3(t, long)
  t.true(long.stderr.length < 1500, `${long.stderr.length} characters`)
  t.regex(long.stderr, /more characters\)/)
})

test("the default user (and so the default database) is the effective OS user's name, as libpq has it, whatever $USER and $LOGNAME say", (t) => {
  const env = {USER: 'someone-else', LOGNAME: 'someone-else'}
  const target = resolveTarget('postgres://127.0.0.1:5432', env)
  t.is(target.user, userInfo().username)
  t.is(target.database, userInfo().username)
  t.is(resolveTarget('host=127.0.0.1 user=ops', env).user, 'ops')
})
