// Start-up time of fluxadmin against bare `node -e ''`, measured in the same run: median wall time,
// and the mean CPU time (user + system) of the child, which a busy machine changes far less.
// Usage: node bench/startup.js [runs]   (build first: npm run build)
import {spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

const runs = Number(process.argv[2] ?? 21)
const bin = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const cases = [
  {name: "node -e ''", args: ['-e', '']},
  {name: 'fluxadmin --version', args: [bin, '--version']},
  {name: 'fluxadmin --help', args: [bin, '--help']},
  {
    name: 'fluxadmin db status (refused)',
    args: [bin, 'db', 'status', '--db-url', 'postgres://127.0.0.1:1/x'],
    expect: 3,
  },
]

// CPU time of the children waited for so far (cutime + cstime of /proc/self/stat, in clock ticks of 10 ms).
const childCpuMs = () =>
  readFileSync('/proc/self/stat', 'utf8')
    .split(') ')[1]
    .split(' ')
    .slice(13, 15)
    .reduce((sum, t) => sum + Number(t) * 10, 0)
const cpu = new Map(cases.map((c) => [c.name, 0]))

function once(c) {
  const start = process.hrtime.bigint()
  const cpuBefore = childCpuMs()
  const r = spawnSync(process.execPath, c.args, {encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}})
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  cpu.set(c.name, cpu.get(c.name) + childCpuMs() - cpuBefore)
  if (r.status !== (c.expect ?? 0)) throw new Error(`${c.name}: exit ${r.status}: ${r.stderr}`)
  return ms
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const times = new Map(cases.map((c) => [c.name, []]))
for (const c of cases) once(c) // warm the file cache
for (const c of cases) cpu.set(c.name, 0)
for (let i = 0; i < runs; i++) for (const c of cases) times.get(c.name).push(once(c)) // interleaved, so load hits all alike
const base = median(times.get(cases[0].name))
const baseCpu = cpu.get(cases[0].name) / runs
console.log(`runs: ${runs} each, interleaved; median wall time, mean CPU time (user + system)`)
for (const c of cases) {
  const m = median(times.get(c.name))
  const used = cpu.get(c.name) / runs
  console.log(
    `${c.name.padEnd(32)} ${m.toFixed(1).padStart(7)} ms  ${(m / base).toFixed(2)}x   cpu ${used.toFixed(1).padStart(6)} ms  ${(used / baseCpu).toFixed(2)}x`,
  )
}
