const secrets = new Set<string>()

/** Registers a value that must never be printed (a password from any source). */
export function registerSecret(value: string | undefined | null): void {
  if (value && value.length > 0) secrets.add(value)
}

/** Removes passwords from URLs, conninfo strings and any registered secret. */
export function redact(text: string): string {
  let out = text
    .replace(/(postgres(?:ql)?:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1***@')
    .replace(/(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)/gi, '$1***')
  for (const secret of secrets) out = out.split(secret).join('***')
  return out
}

/**
 * Passwords in the arguments (a URL's, `password=...`) can be read by every local user in `ps` and
 * /proc/PID/cmdline: the process's title, which is what they show, is rewritten without them.
 */
export function hideSecretsFromProcessList(argv: string[] = process.argv): void {
  const shown = argv.map(redact)
  if (shown.some((arg, i) => arg !== argv[i])) process.title = shown.join(' ')
}
