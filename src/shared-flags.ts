import * as Flags from '@oclif/core/flags'
import {FORMATS} from './output/format.js'

/** Flags for every command that talks to PostgreSQL. */
export const connectionFlags = {
  'db-url': Flags.string({
    summary:
      'PostgreSQL URL; default: DATABASE_URL, then PG* variables (service file, ~/.pgpass), then the running sandbox.',
    env: 'FLUXADMIN_DB_URL',
    helpGroup: 'CONNECTION',
  }),
  'statement-timeout': Flags.string({
    summary: 'Cancel any statement that runs longer (30s, 2min, 500ms).',
    default: '30s',
    env: 'FLUXADMIN_STATEMENT_TIMEOUT',
    helpGroup: 'CONNECTION',
  }),
}

/** --statement-timeout for commands that copy tables between nodes: 1h by default, from its own variable. */
export const longStatementTimeout = (what: string, env: string) =>
  Flags.string({
    summary: `Cancel if one statement runs longer (1h by default: ${what}).`,
    default: '1h',
    env,
    helpGroup: 'CONNECTION',
  })

/** Flags of the read-only commands that can run on a standby (docs/replicas.md). */
export const replicaFlags = {
  replica: Flags.string({
    summary:
      'Run the queries on this standby (URL or libpq service name); the primary when it cannot be reached or is behind --max-lag.',
    env: 'FLUXADMIN_REPLICA_URL',
    helpGroup: 'CONNECTION',
  }),
  'max-lag': Flags.string({
    summary: 'Use the replica only when its replay is at most this far behind (30s, 2min).',
    default: '30s',
    env: 'FLUXADMIN_MAX_LAG',
    helpGroup: 'CONNECTION',
  }),
  'require-replica': Flags.boolean({
    summary: 'Never fall back to the primary: exit 3 when the replica cannot be reached, 6 when it is behind.',
    env: 'FLUXADMIN_REQUIRE_REPLICA',
    helpGroup: 'CONNECTION',
  }),
}

/** Flags for every command that prints rows. */
export const outputFlags = {
  format: Flags.option({
    char: 'f',
    options: [...FORMATS],
    summary: 'Output format (default: table on a terminal, csv otherwise).',
    env: 'FLUXADMIN_FORMAT',
    helpGroup: 'OUTPUT',
  })(),
  json: Flags.boolean({summary: 'Same as --format json; errors too come out as JSON.', helpGroup: 'OUTPUT'}),
  out: Flags.string({
    char: 'o',
    summary: 'Write to this file; it appears only complete (temp file renamed on success).',
    helpGroup: 'OUTPUT',
  }),
  header: Flags.boolean({
    summary: 'CSV header row (--no-header to leave it out).',
    default: true,
    allowNo: true,
    helpGroup: 'OUTPUT',
  }),
  'csv-raw': Flags.boolean({
    summary:
      "CSV text cells exactly as psql writes them (by default a cell starting with = + - @ tab or CR gets a leading ' so spreadsheets do not run it as a formula).",
    env: 'FLUXADMIN_CSV_RAW',
    helpGroup: 'OUTPUT',
  }),
  wide: Flags.boolean({summary: 'Tables: every column, cells whole, however wide the terminal.', helpGroup: 'OUTPUT'}),
  expanded: Flags.boolean({
    char: 'x',
    allowNo: true,
    summary: 'Tables: one record per block (psql \\x); default: only when the table cannot fit; --no-expanded never.',
    helpGroup: 'OUTPUT',
  }),
  pager: Flags.boolean({
    summary: 'Page long tables on a terminal (FLUXADMIN_PAGER, PAGER, else less -FRX; empty: none).',
    default: true,
    allowNo: true,
    helpGroup: 'OUTPUT',
  }),
}

/** Keyset paging: each page but the last ends with `next page: --cursor C` on stderr (--after: its older name). */
export const cursorFlag = Flags.string({
  summary: 'Continue after this cursor (printed at the end of the previous page).',
  aliases: ['after'],
})

/** Flags for every command that changes data. */
export const mutationFlags = {
  'dry-run': Flags.boolean({summary: 'Run the change in a transaction, show what it would do, and roll back.'}),
  yes: Flags.boolean({char: 'y', summary: 'Do not ask for confirmation (needed when stdin is not a terminal).'}),
  actor: Flags.string({
    summary: 'Who is making the change, for the audit trail (default: FLUXADMIN_ACTOR, else the OS user).',
    env: 'FLUXADMIN_ACTOR',
  }),
}

/**
 * An integer flag bounded at both ends, so that no value past what the SQL takes reaches the server:
 * anything else is a usage error (exit 2) that names the range.
 */
export const boundedInteger = Flags.custom<number, {min: number; max: number}>({
  async parse(input, _context, {min, max}) {
    const n = /^\s*[+-]?\d{1,16}\s*$/.test(input) ? Number(input) : Number.NaN
    if (!(n >= min && n <= max)) throw new Error(`must be an integer from ${min} to ${max}`)
    return n
  },
})

/** Shards per tenant table when db distribute (or db migrate on an empty Citus coordinator) creates the distributed layout. */
export const shardCountFlag = boundedInteger({
  min: 1,
  max: 1024,
  default: 32,
  env: 'FLUXADMIN_SHARD_COUNT',
  summary: "Shards per tenant table on Citus (its default 32; more than all workers' cores leaves room to grow).",
})

/** A decimal flag bounded at both ends (percentages, factors): anything else is a usage error (exit 2) that names the range. */
export const boundedNumber = Flags.custom<number, {min: number; max: number}>({
  async parse(input, _context, {min, max}) {
    const n = /^\s*[+-]?(\d{1,15}(\.\d{0,6})?|\.\d{1,6})\s*$/.test(input) ? Number(input) : Number.NaN
    if (!(n >= min && n <= max)) throw new Error(`must be a number from ${min} to ${max}`)
    return n
  },
})
