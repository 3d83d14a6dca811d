#!/usr/bin/env node
import {execute} from '@oclif/core'

// `fluxadmin --db-url URL db status`: oclif wants the command first, so move leading flags after it.
const VALUE_FLAGS = new Set(['--db-url', '--statement-timeout', '--format', '-f', '--out', '-o', '--actor'])
const args = process.argv.slice(2)
const leading = []
while (args.length > 0 && args[0].startsWith('-') && !['--version', '-v', '--help', '-h'].includes(args[0])) {
  const flag = args.shift()
  leading.push(flag)
  if (VALUE_FLAGS.has(flag) && args.length > 0) leading.push(args.shift())
}

await execute({args: [...args, ...leading], dir: import.meta.url})
