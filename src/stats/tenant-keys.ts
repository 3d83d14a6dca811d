/** An organization as the load sources name it. */
export interface OrgKey {
  id: string
  slug: string
  name: string
}

/** How a statement was tied to its organization. */
export type Attribution = 'application' | 'parameter' | 'literal'

/** `org=<slug or id>` in application_name (`api org=acme-studio`, `worker;org=...`), where the application sets one. */
function applicationTag(application: string | null): string | undefined {
  return application ? /(?:^|[\s;,])org=([^\s;,]+)/.exec(application)?.[1] : undefined
}

/** The values of `parameters: $1 = 'acme', $2 = NULL` (a log entry's DETAIL), in order. */
export function boundValues(detail: string | null): string[] {
  if (!detail?.startsWith('parameters: ')) return []
  return [...detail.matchAll(/\$\d+ = '((?:[^']|'')*)'/g)].map((m) => m[1].replace(/''/g, "'"))
}

/** The string literals of a statement's text ('acme', 'it''s'), in order. */
function stringLiterals(text: string): string[] {
  return [...text.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1].replace(/''/g, "'"))
}

/**
 * Ties a statement to an organization: its application_name tag first, then its bound parameters,
 * then the literals in its text; a value counts when it is an organization's id or slug.
 * Memory: one map entry per id and per slug, whatever the log's size.
 */
export function organizationResolver(orgs: OrgKey[]) {
  const byValue = new Map<string, OrgKey>()
  for (const org of orgs) {
    byValue.set(org.id.toLowerCase(), org)
    byValue.set(org.slug, org)
  }
  const find = (values: string[]) => {
    for (const v of values) {
      const org = byValue.get(v) ?? byValue.get(v.toLowerCase())
      if (org) return org
    }
    return undefined
  }
  return (statement: {
    application: string | null
    parameters?: string[]
    text: string
  }): {org: OrgKey; by: Attribution} | undefined => {
    const tag = applicationTag(statement.application)
    const tagged = tag === undefined ? undefined : find([tag])
    if (tagged) return {org: tagged, by: 'application'}
    const bound = find(statement.parameters ?? [])
    if (bound) return {org: bound, by: 'parameter'}
    const literal = find(stringLiterals(statement.text))
    return literal ? {org: literal, by: 'literal'} : undefined
  }
}
