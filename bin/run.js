#!/usr/bin/env node
// Loads the bundled CLI (dist/fluxadmin.cjs, see scripts/bundle.js) with a V8 code cache, so start-up
// skips compiling it; a missing or stale cache (another Node version) is rebuilt on the way out.
import {existsSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {Module, createRequire} from 'node:module'
import {dirname} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import vm from 'node:vm'

const file = fileURLToPath(new URL('../dist/fluxadmin.cjs', import.meta.url))
const cacheFile = `${file}.v8cache`
const requireFromBundle = createRequire(file)
const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined
const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), {
  filename: file,
  cachedData,
})
// The bundle's dynamic imports (ink, zx, csv-stringify, ...) come here: see scripts/bundle.js.
globalThis.__fluxadmin_import = (specifier) => import(specifier.startsWith('.') ? new URL(specifier, pathToFileURL(file)).href : specifier)
const cli = new Module(file)
cli.filename = file
cli.paths = Module._nodeModulePaths(dirname(file))
script.runInThisContext().call(cli.exports, cli.exports, requireFromBundle, cli, file, dirname(file))
cli.loaded = true
// oclif require()s the same file to find the commands: hand it this instance.
Module._cache[file] = cli

// `fluxadmin --db-url URL db status`: oclif wants the command first, so move leading flags after it.
const VALUE_FLAGS = new Set(['--db-url', '--statement-timeout', '--format', '-f', '--out', '-o', '--actor'])
const args = process.argv.slice(2)
const leading = []
while (args.length > 0 && args[0].startsWith('-') && !['--version', '-v', '--help', '-h'].includes(args[0])) {
  const flag = args.shift()
  leading.push(flag)
  if (VALUE_FLAGS.has(flag) && args.length > 0) leading.push(args.shift())
}

await cli.exports.execute({args: [...args, ...leading], dir: import.meta.url})

if (!cachedData || script.cachedDataRejected || process.env.FLUXADMIN_WRITE_CODE_CACHE === '1') {
  try {
    const temp = `${cacheFile}.${process.pid}`
    writeFileSync(temp, script.createCachedData())
    renameSync(temp, cacheFile)
  } catch {
    // A read-only install just runs without the cache.
  }
}
