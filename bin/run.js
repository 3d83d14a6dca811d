#!/usr/bin/env node
'use strict'
// Loads the bundled CLI (dist/fluxadmin.cjs, see scripts/bundle.js) with a V8 code cache, so start-up
// skips compiling it; a missing or stale cache (another Node version) is rebuilt on the way out.
// This entry is CommonJS (bin/package.json): Node then starts without its ES module loader.
const {existsSync, readFileSync, renameSync, writeFileSync} = require('node:fs')
const {Module, createRequire} = require('node:module')
const {dirname, join} = require('node:path')
const {pathToFileURL} = require('node:url')
const vm = require('node:vm')

const root = join(__dirname, '..')
// `--version` needs nothing of the CLI: oclif's answer (its config.userAgent) without loading it.
const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const {name, version} = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  process.stdout.write(
    `${name}/${version} ${process.platform}-${process.arch === 'ia32' ? 'x86' : process.arch} node-${process.version}\n`,
  )
  return
}
const file = join(root, 'dist', 'fluxadmin.cjs')
const cacheFile = `${file}.v8cache`
const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined
const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), {filename: file, cachedData})
// The bundle's dynamic imports (ink, zx, csv-stringify, ...) come here: see scripts/bundle.js.
globalThis.__fluxadmin_import = (specifier) =>
  import(specifier.startsWith('.') ? new URL(specifier, pathToFileURL(file)).href : specifier)
// Always the built code: else, under NODE_ENV=development or test, oclif looks for the TypeScript sources and
// loads the TypeScript compiler on every run (half a second of CPU).
globalThis.oclif = {...globalThis.oclif, enableAutoTranspile: false}
const cli = new Module(file)
cli.filename = file
cli.paths = Module._nodeModulePaths(dirname(file))
script.runInThisContext().call(cli.exports, cli.exports, createRequire(file), cli, file, dirname(file))
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

// `stats explain -- -7161... --params a`: a negative number needs no `--` (oclif takes it as an argument), and with
// it the flags that follow would be arguments too, so that `--` goes. Leading flags go before a `--` that stays.
const dash = args.indexOf('--')
if (dash >= 0 && /^-\d+$/.test(args[dash + 1] ?? '')) args.splice(dash, 1)
const end = args.includes('--') ? args.indexOf('--') : args.length

cli.exports.execute({args: [...args.slice(0, end), ...leading, ...args.slice(end)], dir: root}).then(() => {
  if (!cachedData || script.cachedDataRejected || process.env.FLUXADMIN_WRITE_CODE_CACHE === '1') {
    try {
      const temp = `${cacheFile}.${process.pid}`
      writeFileSync(temp, script.createCachedData())
      renameSync(temp, cacheFile)
    } catch {
      // A read-only install just runs without the cache.
    }
  }
})
