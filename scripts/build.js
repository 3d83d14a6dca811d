// Type-checks and compiles src/ to dist/ (tests and lazily loaded modules use these files), bundles
// the CLI into dist/fluxadmin.cjs, regenerates oclif.manifest.json and warms the V8 code cache.
import {execFileSync, spawnSync} from 'node:child_process'
import {rmSync} from 'node:fs'
import {bundle} from './bundle.js'

const run = (args) => execFileSync(process.execPath, args, {stdio: 'inherit'})
rmSync('dist', {recursive: true, force: true})
run(['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'])
await bundle(process.cwd())
run(['node_modules/oclif/bin/run.js', 'manifest'])
// The cache holds the functions a run compiled: take it from a real command's path (parse, connect, fail).
spawnSync(process.execPath, ['bin/run.js', 'db', 'status', '--db-url', 'postgres://127.0.0.1:1/cache'], {
  stdio: 'ignore',
  env: {...process.env, FLUXADMIN_WRITE_CODE_CACHE: '1'},
})
