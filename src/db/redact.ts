const secrets = new Set<string>()

/** Registers a value that must never be printed (a password from any source). */
export function registerSecret(value: string | undefined | null): void {
  if (value && value.length > 0) secrets.add(value)
}

/** Removes passwords from URLs, conninfo strings and any registered secret. */
export function redact(text: string): string {
  let out = text
    .replace(/(postgres(?:ql)?:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1***@')
    .replace(/(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)/gi, '$1***')
  for (const secret of secrets) out = out.split(secret).join('***')
  return out
}

/**
 * Statement text as the server shows it (pg_stat_statements, pg_stat_activity): the literal after
 * a PASSWORD keyword (CREATE/ALTER ROLE|USER ... PASSWORD '...', a user mapping's OPTIONS (password
 * '...'), `password = '...'`) becomes '***', in every form of literal: '', E'', U&'', $$ $$ and
 * $tag$ $tag$, with doubled quotes, backslash escapes, and cut off (a text truncated by
 * track_activity_query_size); then redact(): URLs, conninfo and registered secrets. Text is never
 * run after this: EXPLAIN takes the server's own text.
 */
export function redactStatement(text: string): string {
  if (!/password/i.test(text)) return redact(text)
  let out = ''
  let last = 0
  let afterPassword = false
  for (let i = 0; i < text.length;) {
    const token = tokenAt(text, i)
    if (token.kind === 'literal' && afterPassword) {
      // standard_conforming_strings off reads \' as an escaped quote: the later of the two ends, so nothing of it shows.
      const end = Math.max(token.end, text[i] === "'" ? literalEnd(text, i + 1, true) : token.end)
      out += `${text.slice(last, i)}'***'`
      last = end
      i = end
      afterPassword = false
      continue
    }
    if (token.kind === 'word') afterPassword = /^password$/i.test(text.slice(i, token.end))
    else if (token.kind !== 'space' && !(token.kind === 'other' && text[i] === '=')) afterPassword = false
    i = token.end
  }
  return redact(out + text.slice(last))
}

type TokenKind = 'space' | 'literal' | 'word' | 'other'

// Sticky (y): each matches only at lastIndex, so the text is never copied while it is scanned.
const SPACE = /\s+|--[^\n]*|\/\*[\s\S]*?(?:\*\/|$)/y
const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/y
const QUOTE = /(?:[eE]|[uU]&|[bBxXnN])?'/y
const IDENTIFIER = /"(?:[^"]|"")*(?:"|$)/y
const WORD = /[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*/y

function stickyAt(re: RegExp, text: string, i: number): string | undefined {
  re.lastIndex = i
  return re.exec(text)?.[0]
}

/** One lexical token of SQL at position i: comments count as space, quoted identifiers as words. */
function tokenAt(text: string, i: number): {kind: TokenKind; end: number} {
  const space = stickyAt(SPACE, text, i)
  if (space) return {kind: 'space', end: i + space.length}
  const tag = stickyAt(DOLLAR_TAG, text, i)
  if (tag) {
    const close = text.indexOf(tag, i + tag.length)
    return {kind: 'literal', end: close === -1 ? text.length : close + tag.length}
  }
  const quote = stickyAt(QUOTE, text, i)
  if (quote) return {kind: 'literal', end: literalEnd(text, i + quote.length, /^[eE]/.test(quote))}
  const word = stickyAt(IDENTIFIER, text, i) ?? stickyAt(WORD, text, i)
  if (word) return {kind: 'word', end: i + word.length}
  return {kind: 'other', end: i + 1}
}

/** Where a '...' literal whose body starts at i ends (past its closing quote, or the end of a cut-off text). */
function literalEnd(text: string, i: number, backslashEscapes: boolean): number {
  for (let j = i; j < text.length; j++) {
    if (backslashEscapes && text[j] === '\\') j++
    else if (text[j] === "'") {
      if (text[j + 1] !== "'") return j + 1
      j++
    }
  }
  return text.length
}

/** The rows of a query with a `query` column (statement text), that column redacted. */
export function redactQueries<T extends {query?: string | null}>(rows: T[]): T[] {
  for (const row of rows) if (typeof row.query === 'string') row.query = redactStatement(row.query)
  return rows
}

/**
 * Passwords in the arguments (a URL's, `password=...`) can be read by every local user in `ps` and
 * /proc/PID/cmdline: the process's title, which is what they show, is rewritten without them.
 */
export function hideSecretsFromProcessList(argv: string[] = process.argv): void {
  const shown = argv.map(redact)
  if (shown.some((arg, i) => arg !== argv[i])) process.title = shown.join(' ')
}
