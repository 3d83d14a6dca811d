// Compiles src/ to dist/ and regenerates oclif.manifest.json (the manifest keeps start-up fast).
import {execFileSync} from 'node:child_process'
import {rmSync} from 'node:fs'

const run = (cmd, args) => execFileSync(cmd, args, {stdio: 'inherit'})
rmSync('dist', {recursive: true, force: true})
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'])
run(process.execPath, ['node_modules/oclif/bin/run.js', 'manifest'])
