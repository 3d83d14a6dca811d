// `npm run lint`: fails when src/ has an import circle or an import that runs up the layers below.
// Type-only imports count (a circle closed by `import type` is still a circle to a reader), and so
// do dynamic imports. Usage: node scripts/check-imports.js [src]
import {readFileSync, readdirSync, statSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'
import ts from 'typescript'

// Lowest first: a file may import its own unit and the layers below it, never a layer above or
// another unit of its own layer. A unit is a folder of src/ or a root file, except that the command
// support (flag bundles, command base classes) of every folder is one unit, just below the commands.
const LAYERS = [
  ['paths.ts'],
  ['errors.ts', 'version.ts'],
  ['util/'],
  ['output/', 'db/'],
  ['input/', 'schema/', 'cluster/'],
  ['audit/'],
  ['citus/'],
  ['stats/', 'tenants/', 'sandbox/', 'reports/', 'completion/'],
  ['activity/', 'search/', 'backup/', 'lifecycle/', 'advise/'],
  ['health/', 'dashboard/'],
  ['command support'],
  ['commands/', 'hooks/'],
]
const isCommandSupport = (file) => !file.startsWith('commands/') && /(^|[/-])(flags|command)\.ts$/.test(file)

function unitOf(file) {
  if (isCommandSupport(file)) return 'command support'
  return file.includes('/') ? file.split('/')[0] + '/' : file
}

const layerOf = (unit) => LAYERS.findIndex((units) => units.includes(unit))

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : []
  })
}

/** Every relative import of each file, as paths relative to `root`. */
export function importGraph(root) {
  const graph = new Map()
  for (const path of sourceFiles(root)) {
    const {importedFiles} = ts.preProcessFile(readFileSync(path, 'utf8'), true, true)
    const targets = importedFiles
      .filter((i) => i.fileName.startsWith('.'))
      .map((i) => {
        const base = resolve(dirname(path), i.fileName).replace(/\.js$/, '')
        const target = ['.ts', '.tsx'].map((ext) => base + ext).find((p) => statSync(p, {throwIfNoEntry: false}))
        if (!target) throw new Error(`${relative(root, path)}: cannot resolve ${i.fileName}`)
        return relative(root, target)
      })
    graph.set(relative(root, path), targets)
  }
  return graph
}

export function upwardImports(graph) {
  const problems = []
  for (const [file, targets] of graph) {
    const unit = unitOf(file)
    if (layerOf(unit) < 0) problems.push(`${file}: ${unit} has no layer (scripts/check-imports.js LAYERS)`)
    for (const target of targets) {
      const to = unitOf(target)
      if (to === unit) continue
      if (layerOf(to) >= layerOf(unit))
        problems.push(`${file} imports ${target}: ${to} is not below ${unit} (scripts/check-imports.js LAYERS)`)
    }
  }
  return problems
}

export function circles(graph) {
  const found = []
  const state = new Map() // 1: on the current path, 2: done
  const path = []
  const visit = (file) => {
    state.set(file, 1)
    path.push(file)
    for (const target of graph.get(file) ?? []) {
      if (state.get(target) === 1) found.push([...path.slice(path.indexOf(target)), target].join(' -> '))
      else if (!state.has(target)) visit(target)
    }
    path.pop()
    state.set(file, 2)
  }
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file)
  return found.map((c) => `import circle: ${c}`)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const graph = importGraph(resolve(process.argv[2] ?? 'src'))
  const problems = [...circles(graph), ...upwardImports(graph)]
  for (const p of problems) console.error(p)
  if (problems.length > 0) process.exit(1)
}
