import * as Flags from '@oclif/core/flags'
import {connectionFlags, mutationFlags, outputFlags} from '../shared-flags.js'

/** The output flags of the summary rows, without --out: the lifecycle commands' --out is the archive. */
const {out: _out, ...summaryFlags} = outputFlags

export const exportFlags = {
  ...connectionFlags,
  ...summaryFlags,
  out: Flags.string({char: 'o', summary: 'The archive to write (a tar); it appears only complete.'}),
  'with-secrets': Flags.boolean({
    summary: 'Include password hashes (a move needs them; a portability request must not get them).',
  }),
  'dry-run': Flags.boolean({summary: 'Stream and count every table from the snapshot, write no file.'}),
  actor: mutationFlags.actor,
}

export const lifecycleFlags = {...connectionFlags, ...summaryFlags, ...mutationFlags}

export const PART_COLUMNS = ['table', 'rows', 'bytes', 'sha256', 'file']
