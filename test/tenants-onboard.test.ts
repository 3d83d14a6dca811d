import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import test from 'ava'
import {auditRows, checksum, cliFor, fileDb, fixture, json} from './tenants-fixtures.js'

const getDb = fileDb(test, async (d) => {
  await fixture(d.pg)
})
const run = cliFor(getDb)
const cli = (...args: string[]) => run(args)
const dir = mkdtempSync(join(tmpdir(), 'onboard-'))
const csv = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

test.serial('onboard reports every bad line with its number and reason, and writes nothing', async (t) => {
  const file = csv(
    'bad.csv',
    [
      'email,name,user_type,role,team',
      'ok1@example.org,Ok One,client,member,brass',
      'not-an-email,Bad,client,member,',
      'ok2@example.org,Ok Two,wizard,member,',
      'OK1@example.org,Dup,client,member,',
      'ok3@example.org,Ok Three,client,member,strings',
      'ok4@example.org,Ok Four,client,emperor,',
    ].join('\n') + '\n',
  )
  const before = await checksum(getDb().pg)
  const r = await cli('onboard', file, '--org', 'north-high')
  t.is(r.code, 2, r.stderr)
  t.regex(
    r.stderr,
    /^Error: 5 bad lines in bad\.csv, nothing written: line 3: invalid email "not-an-email"; line 4: unknown user_type "wizard".*; line 5: duplicate email ok1@example\.org \(first on line 2\); line 6: unknown team "strings"; line 7: unknown role "emperor".*\nHint: /,
  )
  t.deepEqual(await checksum(getDb().pg), before)
  const header = await cli('onboard', csv('hdr.csv', 'mail,name\nx@y.org,X\n'), '--org', 'north-high')
  t.is(header.code, 2)
  t.regex(header.stderr, /missing column\(s\) email, user_type, role/)
  t.is((await cli('onboard', join(dir, 'missing.csv'), '--org', 'north-high')).code, 4)
  t.is((await cli('onboard', file, '--org', 'no-such-org')).code, 4)
})

test.serial(
  'onboard creates users, adds existing ones to the org and teams, is idempotent, and audits each created user',
  async (t) => {
    const db = getDb()
    const file = csv(
      'good.csv',
      [
        'email,name,user_type,role,team',
        'new1@example.org,New One,client,member,brass',
        'New2@Example.org,"Two, Jr.",designer,admin,',
        'cy@example.org,Cy,admin,viewer,brass',
        'ada@example.org,Ada,designer,owner,brass',
      ].join('\n') + '\n',
    )
    const before = await checksum(db.pg)
    const dry = await cli('onboard', file, '--org', 'north-high', '--dry-run', '--json')
    t.is(dry.code, 0, dry.stderr)
    t.like(json(dry.stdout)[0], {
      rows: 4,
      created: 2,
      already_existed: 2,
      added_to_org: 3,
      added_to_team: 3,
      dry_run: true,
    })
    t.deepEqual(await checksum(db.pg), before)

    const first = await cli('onboard', file, '--org', 'north-high', '--json')
    t.is(first.code, 0, first.stderr)
    t.deepEqual(json(first.stdout)[0], {
      rows: 4,
      created: 2,
      already_existed: 2,
      added_to_org: 3,
      added_to_team: 3,
      dry_run: false,
    })
    t.notRegex(first.stderr, /lines read|creating users/, 'progress only on a terminal')
    const {rows: users} = await db.pg
      .query(`SELECT u.email, u.name, m.role FROM users u JOIN organization_members m ON m.user_id = u.id
    JOIN organizations o ON o.id = m.organization_id WHERE o.slug = 'north-high' ORDER BY 1`)
    t.deepEqual(
      users.map((u) => `${u.email}:${u.name}:${u.role}`),
      [
        'ada@example.org:Ada:owner',
        'bob@example.org:Bob:member',
        'cy@example.org:Cy:viewer',
        'new1@example.org:New One:member',
        'new2@example.org:Two, Jr.:admin',
      ],
    )
    const created = await auditRows(db.pg, 'admin.user.onboarded')
    t.is(created.length, 2)
    t.like(created[0].metadata, {actor: 'ops-test', file: 'good.csv'})
    const summary = await auditRows(db.pg, 'admin.org.onboarded')
    t.is(summary.length, 1)
    t.like(summary[0].metadata, {created: 2, added_to_org: 3, added_to_team: 3, actor: 'ops-test'})

    const snapshot = await checksum(db.pg)
    const again = await cli('onboard', file, '--org', 'north-high', '--json')
    t.deepEqual(json(again.stdout)[0], {
      rows: 4,
      created: 0,
      already_existed: 4,
      added_to_org: 0,
      added_to_team: 0,
      dry_run: false,
    })
    const after = await checksum(db.pg)
    for (const table of Object.keys(snapshot).filter((n) => n !== 'security_events'))
      t.is(after[table], snapshot[table], table)
    t.is((await auditRows(db.pg, 'admin.user.onboarded')).length, 2)
  },
)

test.serial('a 99,990-line file with one bad line at 99,990 writes nothing and names that line', async (t) => {
  const lines = ['email,name,user_type,role,team']
  for (let i = 2; i <= 99_990; i++)
    lines.push(i === 99_990 ? `user${i}@example,Bad,client,member,` : `user${i}@example.org,User ${i},client,member,`)
  const file = csv('big.csv', lines.join('\n') + '\n')
  const before = await checksum(getDb().pg)
  const r = await cli('onboard', file, '--org', 'south-uni')
  t.is(r.code, 2, r.stderr)
  t.regex(r.stderr, /^Error: 1 bad line in big\.csv, nothing written: line 99990: invalid email "user99990@example"\n/)
  t.deepEqual(await checksum(getDb().pg), before)
})

test.serial(
  'onboard reads any column order, BOM, CRLF, quoted line breaks and trailing blank lines; emails match in any case',
  async (t) => {
    const db = getDb()
    await db.pg.query("INSERT INTO users (email, name, user_type) VALUES ('Mixed.Case@Example.org', 'Mixed', 'client')")
    const file = csv(
      'shapes.csv',
      '\uFEFFrole,Email,name,user_type\r\n' +
        [
          'viewer,mixed.case@example.org,Mixed,client',
          'member,crlf1@example.org,"Line\r\nBreak",designer',
          ',crlf2@example.org,No Role,client',
        ].join('\r\n') +
        '\r\n\r\n\r\n',
    )
    const r = await cli('onboard', file, '--org', 'south-uni', '--json')
    t.is(r.code, 0, r.stderr)
    t.deepEqual(json(r.stdout)[0], {
      rows: 3,
      created: 2,
      already_existed: 1,
      added_to_org: 3,
      added_to_team: 0,
      dry_run: false,
    })
    const {rows} = await db.pg
      .query(`SELECT u.email, u.name, m.role FROM users u JOIN organization_members m ON m.user_id = u.id
    JOIN organizations o ON o.id = m.organization_id WHERE o.slug = 'south-uni' AND u.email ILIKE '%c%@example.org' ORDER BY 1`)
    t.deepEqual(
      rows.map((u) => `${u.email}|${u.name}|${u.role}`),
      [
        'Mixed.Case@Example.org|Mixed|viewer',
        'crlf1@example.org|Line\r\nBreak|member',
        'crlf2@example.org|No Role|member',
      ],
    )

    // Line numbers count the physical lines of the file, also after a quoted field that spans two.
    const shifted = await cli(
      'onboard',
      csv(
        'shifted.csv',
        'email,name,user_type,role\nq1@example.org,"Two\nLines",client,member\nbad@,X,client,member\n',
      ),
      '--org',
      'south-uni',
    )
    t.is(shifted.code, 2)
    t.regex(shifted.stderr, /^Error: 1 bad line in shifted\.csv, nothing written: line 4: invalid email "bad@"\n/)
  },
)

test.serial('onboard refuses malformed files with the line, and writes nothing', async (t) => {
  const before = await checksum(getDb().pg)
  const cases: Array<[string, string, RegExp]> = [
    [
      'columns.csv',
      'email,name,user_type,role\na1@example.org,A,client,member\na2@example.org,A,client,member,extra\n',
      /^Error: columns\.csv line 3: more than 4 columns\nHint: fix the file/,
    ],
    [
      'short.csv',
      'email,name,user_type,role\na1@example.org,A\n',
      /^Error: short\.csv line 2: missing data for column "user_type"/,
    ],
    [
      'marker.csv',
      'email,name,user_type,role\na1@example.org,A,client,member\n\\.\na2@example.org,B,client,member\n',
      /^Error: line 3 of marker\.csv is only "\\\.", which would end COPY's input early\nHint: /,
    ],
    [
      'marker-end.csv',
      'email,name,user_type,role\na1@example.org,A,client,member\n\\.',
      /^Error: line 3 of marker-end\.csv is only "\\\."/,
    ],
    [
      'latin1.csv',
      'email,name,user_type,role\na1@example.org,Jos\xe9,client,member\n',
      /^Error: latin1\.csv line 2.*: invalid byte sequence for encoding "UTF8"/,
    ],
    [
      'quote.csv',
      'email,name,user_type,role\na1@example.org,"open,client,member\n',
      /^Error: quote\.csv.*unterminated CSV quoted field/,
    ],
    ['empty.csv', 'email,name,user_type,role\n\n', /^Error: empty\.csv has no data rows\n/],
    ['twice.csv', 'email,name,user_type,role,email\n', /^Error: line 1 of twice\.csv: column\(s\) email given twice\n/],
  ]
  for (const [name, text, expected] of cases) {
    const path = join(dir, name)
    writeFileSync(path, Buffer.from(text, 'latin1'))
    const r = await cli('onboard', path, '--org', 'north-high')
    t.is(r.code, 2, `${name}: ${r.stderr}`)
    t.regex(r.stderr, expected, name)
  }
  const directory = await cli('onboard', dir, '--org', 'north-high')
  t.is(directory.code, 2)
  t.regex(directory.stderr, /is not a file/)
  t.deepEqual(await checksum(getDb().pg), before)
})
