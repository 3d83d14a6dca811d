import {existsSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

function findRoot(start: string): string {
  let dir = start
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`package.json not found above ${start}`)
    dir = parent
  }
  return dir
}

/** The package root, whether running from src/ (tsx) or dist/. */
export const packageRoot = findRoot(dirname(fileURLToPath(import.meta.url)))
export const sqlDir = join(packageRoot, 'sql')
