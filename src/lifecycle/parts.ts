/**
 * The tables an organization archive holds, in the order they are loaded (every row's foreign keys
 * point at rows of earlier parts, or at rows of the same part: those are checked at the end of its COPY).
 * Each has its own fixed statements: lifecycle/export-<table> and lifecycle/import-<table>.
 */
export const PARTS = [
  'users',
  'organizations',
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
  'security_events',
] as const

export type PartTable = (typeof PARTS)[number]

export const partFile = (table: PartTable) => `${table}.copy`

export const MANIFEST = 'manifest.json'
/** sha256 of manifest.json, so that a damaged manifest is told apart from a damaged part. */
export const MANIFEST_SUM = 'manifest.sha256'
export const ARCHIVE_FORMAT = 'fluxadmin-org-archive'
export const ARCHIVE_VERSION = 1

export interface PartSummary {
  table: PartTable
  file: string
  rows: number
  bytes: number
  sha256: string
}

export interface Manifest {
  format: typeof ARCHIVE_FORMAT
  format_version: number
  created_at: string
  organization: {id: string; slug: string; name: string}
  with_secrets: boolean
  /** fluxadmin.schema_migrations of the source: the target must have exactly these. */
  migrations: Array<{version: string; name: string; checksum: string}>
  parts: PartSummary[]
}
