/** What completion needs of a command, as oclif's manifest describes it. */
export interface CompletableCommand {
  id: string
  aliases?: string[]
  hidden?: boolean
  flags: Record<
    string,
    {name: string; char?: string; type: string; options?: readonly string[]; allowNo?: boolean; hidden?: boolean}
  >
  args?: Record<string, {options?: readonly string[]}>
}

export const SHELLS = ['bash', 'zsh'] as const
export type Shell = (typeof SHELLS)[number]

const words = (id: string) => id.split(':').join(' ')
const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`

function flagWords(command: CompletableCommand): string[] {
  return Object.values(command.flags)
    .filter((f) => !f.hidden)
    .flatMap((f) => [`--${f.name}`, ...(f.allowNo ? [`--no-${f.name}`] : []), ...(f.char ? [`-${f.char}`] : [])])
    .sort()
}

/** Next words after each command prefix ('' at the start): topics, commands, and a command's argument values. */
function nextWords(commands: CompletableCommand[]): Map<string, Set<string>> {
  const next = new Map<string, Set<string>>()
  const add = (prefix: string, word: string) => next.set(prefix, (next.get(prefix) ?? new Set()).add(word))
  for (const command of commands) {
    for (const id of [command.id, ...(command.aliases ?? [])]) {
      const parts = id.split(':')
      parts.forEach((word, i) => add(parts.slice(0, i).join(' '), word))
      for (const arg of Object.values(command.args ?? {}))
        for (const option of arg.options ?? []) add(parts.join(' '), option)
    }
  }
  return next
}

// The bash function, with named <PLACEHOLDERS> that fill() replaces: the template interpolates
// nothing, so every `\${...}` (escaped, as String.raw would still interpolate it) and `$(...)` in it
// is bash's own expansion.
const BASH_FUNCTION = `<FN>_next() {
  case "$1" in
<NEXT_CASES>
  esac
}
<FN>_flags() {
  case "$1" in
<FLAG_CASES>
  esac
}
<FN>_options() {
  case "$1" in
<OPTION_CASES>
  esac
}
<FN>() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} cmd='' word i options
  # The command is the run of leading words that are topics and commands.
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=\${COMP_WORDS[i]}
    [[ " $(<FN>_next "$cmd") " == *" $word "* && $word != -* ]] || break
    cmd=\${cmd:+$cmd }$word
  done
  if [[ $prev == -* ]]; then
    options=$(<FN>_options "$cmd $prev")
    if [[ -n $options ]]; then
      COMPREPLY=($(compgen -W "$options" -- "$cur"))
      return
    fi
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(<FN>_flags "$cmd")" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(<FN>_next "$cmd")" -- "$cur"))
  fi
}
complete -o default -F <FN> <BIN>
`

const BASH_HEADER = `# <BIN> completion for bash: add to ~/.bashrc:  eval "$(<BIN> autocomplete bash)"
`

const ZSH_HEADER = `# <BIN> completion for zsh: add to ~/.zshrc:  eval "$(<BIN> autocomplete zsh)"
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
`

/** Each `<NAME>` of `template` replaced by its value, taken as it is (a function, so `$&` in a value stays `$&`). */
function fill(template: string, values: Record<string, string>): string {
  return Object.entries(values).reduce((text, [name, value]) => text.replaceAll(`<${name}>`, () => value), template)
}

/**
 * A bash completion function for the CLI `bin`: the command words typed so far pick the command
 * (topics and commands are words, as `fluxadmin orgs list`), then its flags and their options.
 */
function bashFunction(bin: string, commands: CompletableCommand[]): string {
  const shown = commands.filter((c) => !c.hidden)
  const byId = new Map(shown.flatMap((c) => [c.id, ...(c.aliases ?? [])].map((id) => [words(id), c] as const)))
  const cases = (entries: Array<[string, string]>) =>
    entries.map(([key, value]) => `    ${shellQuote(key)}) echo ${shellQuote(value)} ;;`).join('\n')
  const nextCases = [...nextWords(shown)].map(([prefix, set]): [string, string] => [prefix, [...set].sort().join(' ')])
  const flagCases = [...byId].map(([id, command]): [string, string] => [id, flagWords(command).join(' ')])
  const optionCases = [...byId].flatMap(([id, command]) =>
    Object.values(command.flags)
      .filter((f) => f.options && !f.hidden)
      .flatMap((f) =>
        [`--${f.name}`, ...(f.char ? [`-${f.char}`] : [])].map((flag): [string, string] => [
          `${id} ${flag}`,
          f.options!.join(' '),
        ]),
      ),
  )
  return fill(BASH_FUNCTION, {
    NEXT_CASES: cases(nextCases),
    FLAG_CASES: cases(flagCases),
    OPTION_CASES: cases(optionCases),
    FN: `_${bin.replace(/\W/g, '_')}`,
    BIN: bin,
  })
}

/** The completion script for a shell; zsh runs the same function through its bash compatibility layer. */
export function completionScript(shell: Shell, bin: string, commands: CompletableCommand[]): string {
  return fill(shell === 'bash' ? BASH_HEADER : ZSH_HEADER, {BIN: bin}) + bashFunction(bin, commands)
}
