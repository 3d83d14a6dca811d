import type pg from 'pg'
import {query} from '../db/queries.js'
import {usageError} from '../errors.js'

/** Volatile by the catalog, yet they change nothing: a plan calling them may still be analyzed. */
const HARMLESS = [
  'random',
  'random_normal',
  'clock_timestamp',
  'timeofday',
  'gen_random_uuid',
  'uuid_generate_v4',
  'pg_sleep',
]

/** Plan nodes that write or lock rows. */
const WRITING_NODES = new Set(['ModifyTable', 'LockRows'])

/**
 * EXPLAIN ANALYZE executes the statement, and a READ ONLY transaction does not stop a function
 * (`select pg_terminate_backend($1)`, `select pg_stat_statements_reset()`). So --analyze takes only a
 * plain read: a SELECT whose plan (views expanded, VERBOSE) writes nothing, locks nothing and calls
 * no volatile function outside HARMLESS. Anything else is refused with the reason (exit 2).
 */
export async function assertPlainRead(client: pg.ClientBase, statement: string, params: string[]): Promise<void> {
  const refuse = (why: string) =>
    usageError(`--analyze would run this statement, and ${why}`, 'leave out --analyze for the plan without running it')
  if (!/^\s*\(*\s*(select|with|values|table)\b/i.test(statement.replace(/^(\s*(--[^\n]*\n|\/\*[\s\S]*?\*\/))+/, '')))
    throw refuse('it is not a SELECT')
  const explained: pg.QueryResult<{'QUERY PLAN': unknown}> = await client.query({
    text: `EXPLAIN (VERBOSE, FORMAT JSON) ${statement}`,
    values: params,
    queryMode: 'extended',
  } as never)
  const plan = explained.rows[0]['QUERY PLAN']
  const nodes: string[] = []
  const texts: string[] = []
  collect(plan, nodes, texts)
  const writing = nodes.find((n) => WRITING_NODES.has(n))
  if (writing)
    throw refuse(`it ${writing === 'LockRows' ? 'locks rows (FOR UPDATE/SHARE)' : 'writes (a data-modifying WITH)'}`)
  const names = [
    ...new Set(texts.flatMap((t) => [...t.matchAll(/"?([a-z_][\w$]*)"?\s*\(/gi)].map((m) => m[1].toLowerCase()))),
  ]
  const {rows} = await client.query<{name: string}>(query('stats/volatile-calls').text, [
    names,
    ` ${texts.join(' ')} `,
    HARMLESS,
  ])
  if (rows.length)
    throw refuse(
      `it calls volatile function${rows.length === 1 ? '' : 's'} ${rows.map((r) => r.name).join(', ')}, which may change something`,
    )
}

/** Every node type and every expression string of a JSON plan, subplans included. */
function collect(value: unknown, nodes: string[], texts: string[], key = ''): void {
  if (typeof value === 'string') {
    if (key === 'Node Type') nodes.push(value)
    else texts.push(value)
  } else if (Array.isArray(value)) {
    for (const item of value) collect(item, nodes, texts, key)
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) collect(v, nodes, texts, k)
  }
}
