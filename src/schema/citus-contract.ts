import type {SchemaObject} from '../schema/migrate.js'

/**
 * The distributed layout of the FluxStudio contract on Citus (docs/citus.md says why each table is where it is).
 * These lists are also the allow-list of identifiers that `db distribute` puts into DDL.
 */

/** On every node, written in one two-phase commit: joined by every tenant table, no tenant of their own (or, for organizations, a global unique slug). */
export const REFERENCE_TABLES = ['users', 'organizations', 'refresh_tokens', 'security_events'] as const

/** Hash-distributed by organization_id and co-located with each other, in this order (the first one creates the co-location group). */
export const TENANT_TABLES = [
  'organization_members',
  'teams',
  'team_members',
  'projects',
  'project_members',
  'files',
  'conversations',
  'conversation_participants',
  'messages',
  'notifications',
] as const

/** Tables that lack organization_id on a single node: it is copied from the parent row they belong to. */
export const BACKFILLS = [
  {table: 'team_members', parent: 'teams', via: 'team_id'},
  {table: 'project_members', parent: 'projects', via: 'project_id'},
  {table: 'conversation_participants', parent: 'conversations', via: 'conversation_id'},
  {table: 'messages', parent: 'conversations', via: 'conversation_id'},
] as const

/** Tables whose organization_id may be NULL on a single node: NOT NULL once distributed (rows with NULL are refused). */
export const NULLABLE_ORGANIZATION = ['projects', 'notifications'] as const

/** Primary keys and unique constraints, by name: organization_id is put in front of their columns. */
export const KEYS = [
  ...TENANT_TABLES.map((table) => ({table, name: `${table}_pkey`, kind: 'PRIMARY KEY' as const, columns: ['id']})),
  {table: 'team_members', name: 'team_members_team_user_key', kind: 'UNIQUE' as const, columns: ['team_id', 'user_id']},
  {
    table: 'project_members',
    name: 'project_members_project_user_key',
    kind: 'UNIQUE' as const,
    columns: ['project_id', 'user_id'],
  },
  {
    table: 'conversation_participants',
    name: 'conversation_participants_conversation_user_key',
    kind: 'UNIQUE' as const,
    columns: ['conversation_id', 'user_id'],
  },
]

/** Foreign keys between tenant tables: dropped while the tables move, then created again with organization_id leading. */
export const TENANT_FOREIGN_KEYS = [
  {table: 'team_members', name: 'team_members_team_id_fkey', column: 'team_id', parent: 'teams', cascade: true},
  {table: 'projects', name: 'projects_team_id_fkey', column: 'team_id', parent: 'teams', cascade: false},
  {table: 'projects', name: 'projects_template_id_fkey', column: 'template_id', parent: 'projects', cascade: false},
  {
    table: 'project_members',
    name: 'project_members_project_id_fkey',
    column: 'project_id',
    parent: 'projects',
    cascade: true,
  },
  {table: 'files', name: 'files_parent_file_id_fkey', column: 'parent_file_id', parent: 'files', cascade: false},
  {table: 'files', name: 'files_project_id_fkey', column: 'project_id', parent: 'projects', cascade: false},
  {
    table: 'conversations',
    name: 'conversations_project_id_fkey',
    column: 'project_id',
    parent: 'projects',
    cascade: true,
  },
  {table: 'conversations', name: 'conversations_team_id_fkey', column: 'team_id', parent: 'teams', cascade: true},
  {
    table: 'conversation_participants',
    name: 'conversation_participants_conversation_id_fkey',
    column: 'conversation_id',
    parent: 'conversations',
    cascade: true,
  },
  {
    table: 'messages',
    name: 'messages_conversation_id_fkey',
    column: 'conversation_id',
    parent: 'conversations',
    cascade: false,
  },
  {table: 'messages', name: 'messages_reply_to_id_fkey', column: 'reply_to_id', parent: 'messages', cascade: false},
] as const

/** Idempotent: a catalog recorded on a distributed database (db migrate after db distribute) stays as it is. */
const withOrganization = (columns: string) =>
  columns.startsWith('organization_id') ? columns : `organization_id, ${columns}`

/**
 * The catalog the migrations recorded (single node), as the distributed layout has it: what `db status`
 * compares a distributed database with, so that the layout is no drift and anything else still is.
 */
export function distributedForm(recorded: SchemaObject[]): SchemaObject[] {
  const keys = new Map(KEYS.map((k) => [k.name, k]))
  const fks = new Set<string>(TENANT_FOREIGN_KEYS.map((f) => `${f.table}.${f.name}`))
  const notNull = new Set<string>(NULLABLE_ORGANIZATION.map((t) => `${t}.organization_id`))
  const out = recorded.map((o): SchemaObject => {
    if (o.kind === 'column' && notNull.has(o.name))
      return {...o, definition: o.definition.replace(/^uuid(?! not null)/, 'uuid not null')}
    if (o.kind === 'index' && keys.has(o.name))
      return {
        ...o,
        definition: o.definition.replace(
          /USING btree \((.*)\)$/,
          (_, c: string) => `USING btree (${withOrganization(c)})`,
        ),
      }
    if (o.kind === 'constraint') {
      const name = o.name.slice(o.name.indexOf('.') + 1)
      if (keys.has(name))
        return {...o, definition: o.definition.replace(/\((.*)\)$/, (_, c: string) => `(${withOrganization(c)})`)}
      if (fks.has(o.name)) {
        return {
          ...o,
          definition: o.definition.replace(
            /^FOREIGN KEY \(([^)]*)\) REFERENCES (\w+)\(([^)]*)\)/,
            (_, c: string, p: string, pc: string) =>
              `FOREIGN KEY (${withOrganization(c)}) REFERENCES ${p}(${withOrganization(pc)})`,
          ),
        }
      }
    }
    return o
  })
  for (const b of BACKFILLS) {
    const name = `${b.table}.organization_id`
    if (!out.some((o) => o.kind === 'column' && o.name === name))
      out.push({kind: 'column', name, definition: 'uuid not null'})
  }
  return out
}
