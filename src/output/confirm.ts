import {createInterface} from 'node:readline/promises'
import {usageError} from '../errors.js'

/**
 * Destructive verbs ask on a terminal and need --yes otherwise. Returns false when the user says no.
 * `what` completes "About to ...", e.g. "suspend acme-studio and revoke 12 sessions".
 */
export async function confirm(what: string, options: {yes?: boolean; dryRun?: boolean}): Promise<boolean> {
  if (options.yes || options.dryRun) return true
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw usageError(`refusing to ${what} without confirmation`, 'pass --yes (or --dry-run to preview)')
  }
  const rl = createInterface({input: process.stdin, output: process.stderr})
  try {
    const answer = await rl.question(`About to ${what}. Continue? [y/N] `)
    return /^y(es)?$/i.test(answer.trim())
  } finally {
    rl.close()
  }
}
