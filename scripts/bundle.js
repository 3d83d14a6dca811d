// Bundles @oclif/core, pg and every command into dist/fluxadmin.cjs, one script that bin/run.js
// compiles with a V8 code cache: loading hundreds of modules is most of what start-up would cost.
// Heavy libraries stay external and load lazily; lazily imported modules of ours (the Ink dashboard)
// are loaded from tsc's output in dist/, because require() cannot load ES-module-only packages.
import {mkdirSync, readFileSync, readdirSync, statSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join, relative, resolve} from 'node:path'
import * as esbuild from 'esbuild'

const BUNDLED = new Set(['@oclif/core', 'pg', 'pg-connection-string', 'pg-protocol', 'pgpass'])
const NEVER = new Set(['typescript', 'ts-node', 'tsx'])

function commandFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return commandFiles(path)
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : []
  })
}

const packageName = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0])

/** A package that only ships ES modules cannot be require()d by the CommonJS bundle on Node 20. */
function isEsmOnly(root, name) {
  try {
    const pkgFile = createRequire(join(root, 'package.json')).resolve(`${name}/package.json`)
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'))
    const text = JSON.stringify(pkg.exports ?? {})
    return pkg.type === 'module' && !text.includes('"require"')
  } catch {
    return false
  }
}

export async function bundle(root) {
  const src = join(root, 'src')
  const dist = join(root, 'dist')
  const commandsDir = join(src, 'commands')
  const files = commandFiles(commandsDir).sort()
  // As oclif's pattern strategy: topic/index.ts is the command `topic` itself.
  const ids = files.map((f) =>
    relative(commandsDir, f)
      .replace(/\.tsx?$/, '')
      .split(/[\\/]/)
      .join(':')
      .replace(/:index$/, ''),
  )
  // Getters: only the command being run is evaluated (oclif reads the rest from its manifest).
  const contents = [
    "export {execute} from '@oclif/core/execute'",
    "export {commandNotFound as COMMAND_NOT_FOUND} from './src/hooks/command-not-found.ts'",
    'export const COMMANDS = {',
    ...files.map(
      (f, i) => `  get '${ids[i]}'() { return require('./${relative(root, f).split(/[\\/]/).join('/')}').default },`,
    ),
    '}',
  ].join('\n')
  mkdirSync(dist, {recursive: true})
  const result = await esbuild.build({
    stdin: {contents, resolveDir: root, sourcefile: 'commands-entry.ts', loader: 'ts'},
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: join(dist, 'fluxadmin.cjs'),
    minify: true,
    keepNames: true,
    logLevel: 'warning',
    legalComments: 'none',
    metafile: true,
    define: {'import.meta.url': '__fluxadmin_url'},
    // Under bin/run.js the bundle runs as a vm.Script, where import() is unavailable without
    // experimental flags: dynamic imports go through a function the ES module host provides.
    banner: {
      js: 'const __fluxadmin_url = require("node:url").pathToFileURL(__filename).href; const __fluxadmin_import = globalThis.__fluxadmin_import ?? ((s) => import(s));',
    },
    write: false,
    plugins: [
      {
        name: 'fluxadmin-externals',
        setup(build) {
          // pg's lib/stream.js asks whether it runs in a Cloudflare Worker by touching `Response`,
          // which on Node loads undici: 10 to 19 ms of every command that connects. fluxadmin runs on
          // Node only, so the bundle gets Node's two stream functions, as pg defines them for Node.
          build.onLoad({filter: /[\\/]node_modules[\\/]pg[\\/]lib[\\/]stream\.js$/}, () => ({
            loader: 'js',
            contents:
              "module.exports = {getStream: () => new (require('net').Socket)(), getSecureStream: (options) => require('tls').connect(options)}",
          }))
          build.onResolve({filter: /^\.\.?\//}, (args) => {
            if (args.kind !== 'dynamic-import' || args.importer.includes('node_modules')) return undefined
            const target = resolve(args.resolveDir, args.path).replace(src, dist)
            return {path: './' + relative(dist, target), external: true}
          })
          build.onResolve({filter: /^[^./]/}, (args) => {
            const name = packageName(args.path)
            if (NEVER.has(name) || args.path.startsWith('node:')) return {path: args.path, external: true}
            if (args.importer.includes('node_modules')) return undefined
            return BUNDLED.has(name) ? undefined : {path: args.path, external: true}
          })
        },
      },
    ],
  })
  for (const out of result.outputFiles) {
    const code = out.path.endsWith('.cjs')
      ? out.text.replace(/(?<![\w$.])import\((?!\))/g, '__fluxadmin_import(')
      : out.text
    writeFileSync(out.path, code)
  }
  const problems = []
  for (const [file, input] of Object.entries(result.metafile.inputs)) {
    for (const imp of input.imports) {
      if (
        imp.external &&
        imp.kind !== 'dynamic-import' &&
        !imp.path.startsWith('node:') &&
        isEsmOnly(root, packageName(imp.path))
      ) {
        problems.push(
          `${file} imports "${imp.path}" statically; it is ES-module-only: use \`await import('${imp.path}')\` where it is needed`,
        )
      }
    }
  }
  if (problems.length > 0) throw new Error(problems.join('\n'))
  return {ids, file: join(dist, 'fluxadmin.cjs'), dir: dirname(join(dist, 'fluxadmin.cjs'))}
}
