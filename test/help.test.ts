import {readFileSync} from 'node:fs'
import test from 'ava'
import {runCli} from './helpers/cli.js'

const manifest = JSON.parse(readFileSync(new URL('../oclif.manifest.json', import.meta.url), 'utf8')) as {
  commands: Record<string, {summary?: string; description?: string; examples?: string[]}>
}

test('every command has a description and at least one example', (t) => {
  const ids = Object.keys(manifest.commands)
  t.true(ids.length > 0)
  for (const id of ids) {
    const cmd = manifest.commands[id]
    t.truthy(cmd.summary || cmd.description, `${id} has a summary`)
    t.true((cmd.examples ?? []).length > 0, `${id} has an example`)
  }
})

test('--version prints the version; --help lists the topics; a command --help shows its example', async (t) => {
  const {version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  const v = await runCli(['--version'])
  t.is(v.code, 0)
  t.true(v.stdout.startsWith(`fluxadmin/${version} `))
  const help = await runCli(['--help'])
  t.is(help.code, 0)
  t.regex(help.stdout, /TOPICS[\s\S]*\bdb\b[\s\S]*\bsandbox\b/)
  const cmd = await runCli(['db', 'status', '--help'])
  t.is(cmd.code, 0)
  t.regex(cmd.stdout, /EXAMPLES[\s\S]*\$ fluxadmin db status/)
})

test('under NODE_ENV=development or test, a command runs the built code and never loads a TypeScript compiler', async (t) => {
  for (const NODE_ENV of ['development', 'test']) {
    const r = await runCli(['reports', 'list'], {env: {NODE_ENV, NODE_DEBUG: 'module'}})
    t.is(r.code, 0, NODE_ENV)
    t.notRegex(r.stderr, /REQUEST (typescript|tsx|ts-node)\b/, NODE_ENV)
  }
})
