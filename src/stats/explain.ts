import {query} from '../db/queries.js'
import {redactStatement} from '../db/redact.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {FluxError, notFound, usageError} from '../errors.js'
import {actAsRole, type RoleContext} from './explain-role.js'
import {requireStatements} from './extension.js'
import {assertPlainRead} from './plain-read.js'
import {parseQueryid} from './queryid.js'

export interface ExplainLine {
  section: 'query' | 'plan'
  text: string
}

export interface ExplainResult {
  lines: ExplainLine[]
  /** How many $n parameters the normalized text takes. */
  paramCount: number
  explained: boolean
  /** With `role`: the role the plan was made as, and the settings applied for it. */
  role?: RoleContext
}

/** Highest $n outside string literals and quoted identifiers. */
export function countParams(text: string): number {
  const bare = text.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"/g, '')
  return Math.max(0, ...(bare.match(/\$\d+/g) ?? []).map((p) => Number(p.slice(1))))
}

/**
 * The normalized text of a statement and, when its parameters are given (or it takes none), its plan.
 * EXPLAIN runs in a READ ONLY transaction; ANALYZE (which executes the statement) only when asked,
 * only for a plain read, and in a transaction that is always rolled back.
 */
export async function explainStatement(
  session: Session,
  given: string,
  options: {params?: string[]; analyze?: boolean; role?: string} = {},
): Promise<ExplainResult> {
  const queryid = parseQueryid(given)
  const info = await requireStatements(session)
  return inTransaction(session, 'diagnostic', async (client, tx) => {
    tx.rollbackOnly()
    const {
      rows: [statement],
    } = await client.query<{query: string; db_name: string; in_current_db: boolean}>(
      query('stats/statement-text', info).text,
      [queryid],
    )
    if (!statement)
      throw notFound(
        `no statement with queryid ${queryid} in pg_stat_statements`,
        'find one with `fluxadmin stats top`',
      )
    // One row per line, as the plan: tables keep the layout, and every format has the same rows.
    const lines: ExplainLine[] = redactStatement(statement.query)
      .split('\n')
      .map((text) => ({section: 'query', text}))
    const paramCount = countParams(statement.query)
    const params = options.params ?? (paramCount === 0 ? [] : undefined)
    if (params === undefined) return {lines, paramCount, explained: false}
    if (!statement.in_current_db)
      throw usageError(
        `statement ${queryid} ran in database "${statement.db_name}", not this one`,
        `connect to "${statement.db_name}" to explain it`,
      )
    if (params.length !== paramCount)
      throw usageError(
        `statement ${queryid} takes ${paramCount} parameter${paramCount === 1 ? '' : 's'}, got ${params.length}`,
        'pass them in order: --params a,b,c',
      )
    const role = options.role === undefined ? undefined : await actAsRole(client, options.role)
    // The text is the server's own normalized statement (not user input); values travel as bind parameters.
    if (options.analyze)
      await assertPlainRead(client, statement.query, params).catch((error) => {
        throw explainError(error)
      })
    const text = `${options.analyze ? 'EXPLAIN (ANALYZE, BUFFERS)' : 'EXPLAIN'} ${statement.query}`
    try {
      const {rows} = await client.query<{'QUERY PLAN': string}>({text, values: params, queryMode: 'extended'} as never)
      for (const row of rows) lines.push({section: 'plan', text: row['QUERY PLAN']})
    } catch (error) {
      throw explainError(error as Error & {code?: string})
    }
    return {lines, paramCount, explained: true, role}
  })
}

function explainError(error: Error & {code?: string}): Error {
  if (error.code === '25006')
    return usageError(
      `--analyze runs the statement, and it writes: ${error.message}`,
      'only read-only statements can be analyzed; leave out --analyze for the plan',
    )
  if (error.code === '42601')
    return usageError(
      `this statement cannot be explained: ${error.message}`,
      'EXPLAIN takes SELECT, INSERT, UPDATE, DELETE, VALUES and EXECUTE statements',
    )
  if (error.code && /^22/.test(error.code))
    return new FluxError(`a parameter does not fit: ${error.message}`, {
      kind: 'usage',
      sqlstate: error.code,
      hint: 'check the values and their order in --params',
    })
  return error
}
