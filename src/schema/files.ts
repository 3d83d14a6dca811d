import {createHash} from 'node:crypto'
import {readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {sqlDir} from '../paths.js'

export interface MigrationFile {
  version: string
  name: string
  checksum: string
  sql: string
}

/** sql/schema/NNN_name.sql in order. */
export function migrationFiles(dir = join(sqlDir, 'schema')): MigrationFile[] {
  return readdirSync(dir)
    .filter((f) => /^\d+_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(dir, file), 'utf8')
      const [version, ...rest] = file.replace(/\.sql$/, '').split('_')
      return {version, name: rest.join('_'), checksum: createHash('sha256').update(sql).digest('hex'), sql}
    })
}

export function bootstrapSql(): string {
  return readFileSync(join(sqlDir, 'bootstrap', 'fluxadmin.sql'), 'utf8')
}
