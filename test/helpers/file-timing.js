// Loaded by ava in every test file's worker (package.json ava.require). With FLUXADMIN_TEST_TIMING set
// (`node test/run.js --timing`), it appends the file's wall time and CPU time to that file as the
// worker exits: the worker's own, and that of the processes it spawned and waited for (the CLI runs).
import {appendFileSync, readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

/** CPU seconds of the children waited for so far: cutime + cstime of /proc/self/stat (clock ticks of 10 ms). */
export const childCpuSeconds = (pid = 'self') =>
  readFileSync(`/proc/${pid}/stat`, 'utf8')
    .split(') ')[1]
    .split(' ')
    .slice(13, 15)
    .reduce((sum, ticks) => sum + Number(ticks) / 100, 0)

const out = process.env.FLUXADMIN_TEST_TIMING
if (out) {
  const started = performance.now()
  // The worker's options name its test file (ava keeps them in this module, not among its exports).
  const require = createRequire(import.meta.url)
  const {file} = require(join(dirname(require.resolve('ava')), '..', 'lib', 'worker', 'options.cjs')).get()
  const path = relative(process.cwd(), file.startsWith('file:') ? fileURLToPath(file) : file)
  process.on('exit', () => {
    const self = process.cpuUsage()
    appendFileSync(
      out,
      JSON.stringify({
        file: path,
        wall_s: (performance.now() - started) / 1000,
        cpu_s: (self.user + self.system) / 1e6,
        spawned_cpu_s: childCpuSeconds(),
        cli_runs: globalThis.fluxadminCliRuns ?? 0,
      }) + '\n',
    )
  })
}
