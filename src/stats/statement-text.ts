import {isOwnStatement} from '../db/queries.js'
import {usageError} from '../errors.js'

/** Statements EXPLAIN can plan (utility statements such as SET, VACUUM or DDL it cannot). */
const PLANNABLE = new Set(['select', 'with', 'values', 'table', 'insert', 'update', 'delete', 'merge'])

const LEADING_NOISE = /^(\s+|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)+/

/** The same test for the server (a POSIX regular expression, sent as a bind parameter): comments, parentheses, then a plannable word. */
export const PLANNABLE_PATTERN = String.raw`^(\s|--[^\n]*\n|/\*([^*]|\*[^/])*\*/|\()*(${[...PLANNABLE].join('|')})\M`

/** The first word after comments and opening parentheses, lower case ('' when none). */
export function firstKeyword(text: string): string {
  return /^\(*\s*([a-z]+)/i.exec(text.replace(LEADING_NOISE, ''))?.[1]?.toLowerCase() ?? ''
}

/** fluxadmin's own statements (their tag, src/db/queries.ts) are never advised on, never hashed. */
export const isPlannable = (text: string) => PLANNABLE.has(firstKeyword(text)) && !isOwnStatement(text)

/**
 * Where the first statement of a text ends: the offset just past a `;` outside quotes, quoted
 * identifiers, comments and dollar quotes, or the text's length.
 */
function firstStatementEnd(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const rest = text.slice(i)
    const skip =
      /^'(?:[^']|'')*'/.exec(rest) ??
      /^"(?:[^"]|"")*"/.exec(rest) ??
      /^--[^\n]*/.exec(rest) ??
      /^\/\*[\s\S]*?\*\//.exec(rest) ??
      /^(\$[A-Za-z_]*\$)[\s\S]*?\1/.exec(rest)
    if (skip) i += skip[0].length - 1
    else if (text[i] === ';') return i + 1
  }
  return text.length
}

/**
 * A statement given on the command line (`stats advise --query`): exactly one, and one that EXPLAIN plans
 * (SELECT, INSERT, UPDATE, DELETE, ...). Anything else is a usage error before anything is sent.
 */
export function checkStatementText(text: string, flag: string): string {
  const end = firstStatementEnd(text)
  const statement = text.slice(0, end).replace(/;\s*$/, '').trim()
  if (text.slice(end).replace(LEADING_NOISE, '') !== '')
    throw usageError(`${flag} takes one statement; this text holds more than one`, 'pass each statement on its own')
  if (statement === '')
    throw usageError(`${flag} is empty`, 'pass a statement, e.g. --query "SELECT * FROM projects WHERE status = $1"')
  const keyword = firstKeyword(statement)
  if (!PLANNABLE.has(keyword))
    throw usageError(
      `${flag} takes a SELECT, INSERT, UPDATE or DELETE statement, not ${keyword ? keyword.toUpperCase() : 'this'}`,
      'indexes are advised for statements the planner plans; DDL and utility statements have no plan',
    )
  return statement
}
