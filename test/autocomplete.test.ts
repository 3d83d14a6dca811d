import {spawnSync} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import test from 'ava'
import {runCli} from './helpers/cli.js'

/** Loads the script into bash and asks it, as bash does on TAB, for each line of words (the last one being typed). */
function complete(script: string, lines: string[][]): string[] {
  const file = join(mkdtempSync(join(tmpdir(), 'fa-compl-')), 'completion.bash')
  writeFileSync(file, script)
  const asks = lines.map(
    (words) =>
      `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; COMPREPLY=(); _fluxadmin; echo "\${COMPREPLY[*]}"`,
  )
  const run = spawnSync(
    'bash',
    ['--norc', '-c', `source '${file}' && complete -p fluxadmin >/dev/null && ${asks.join('; ')}`],
    {encoding: 'utf8'},
  )
  if (run.status !== 0) throw new Error(run.stderr)
  return run.stdout.trimEnd().split('\n')
}

test('autocomplete bash completes topics, commands, flags and flag values from the manifest', async (t) => {
  const bash = await runCli(['autocomplete', 'bash'])
  t.is(bash.code, 0, bash.stderr)
  t.regex(bash.stdout, /^# fluxadmin completion for bash/)
  const replies = complete(bash.stdout, [
    ['fluxadmin', 'or'],
    ['fluxadmin', 'orgs', ''],
    ['fluxadmin', 'orgs', 'list', '--fo'],
    ['fluxadmin', 'orgs', 'list', '--format', ''],
    ['fluxadmin', '--db-url', 'x'],
    ['fluxadmin', 'stats', 'top', '--sort', 'me'],
    ['fluxadmin', 'top', '--on'],
    ['fluxadmin', 'orgs', 'list', '-x', '--no-p'],
    ['fluxadmin', 'autocomplete', ''],
  ])
  t.deepEqual(
    replies.filter((_, i) => i !== 1),
    ['orgs', '--format', 'table csv json ndjson', '', 'mean', '--once', '--no-pager', 'bash zsh'],
  )
  for (const verb of ['create', 'list', 'show', 'suspend', 'unsuspend', 'update'])
    t.true(replies[1].split(' ').includes(verb), `orgs ${verb}`)
  t.false(
    replies[1].split(' ').some((w) => !/^[a-z-]+$/.test(w)),
    'only command words after a topic',
  )
  const all = complete(bash.stdout, [['fluxadmin', '']])[0].split(' ')
  for (const topic of ['orgs', 'stats', 'dashboard', 'top', 'autocomplete', 'onboard'])
    t.true(all.includes(topic), topic)
})

test('autocomplete zsh loads the same completion through bashcompinit; another shell is a usage error', async (t) => {
  const [zsh, bash] = await Promise.all([runCli(['autocomplete', 'zsh']), runCli(['autocomplete', 'bash'])])
  t.is(zsh.code, 0, zsh.stderr)
  t.regex(zsh.stdout, /bashcompinit && bashcompinit/)
  t.true(zsh.stdout.includes(bash.stdout.split('\n').slice(1).join('\n')))
  const fish = await runCli(['autocomplete', 'fish'])
  t.is(fish.code, 2)
  t.regex(fish.stderr, /Error: .*fish/)
})
