import * as Flags from '@oclif/core/flags'
import {parseDuration, parseSince} from '../util/time.js'
import type {PitrOptions} from './pitr.js'

const TARGETS = ['restore-point', 'target-time', 'latest']

/** `backup pitr verify`: the stanza, the moment to recover to, and how the drill runs. */
export const pitrFlags = {
  stanza: Flags.string({
    summary: 'pgBackRest stanza to restore.',
    required: true,
    env: 'FLUXADMIN_PGBACKREST_STANZA',
  }),
  'pgbackrest-config': Flags.string({
    summary: "pgBackRest configuration file (default: pgBackRest's own).",
    env: 'FLUXADMIN_PGBACKREST_CONFIG',
  }),
  'restore-point': Flags.string({
    summary: 'Recover to this restore point (from `backup restore-point`).',
    exactlyOne: TARGETS,
  }),
  'target-time': Flags.string({
    summary: 'Recover to this time: ISO 8601, or a duration ago (30m, 2h).',
    exactlyOne: TARGETS,
  }),
  latest: Flags.boolean({summary: 'Recover to the end of the WAL archive.', exactlyOne: TARGETS}),
  dir: Flags.string({
    summary: "Directory of restore point manifests: the counts are compared with NAME's.",
    env: 'FLUXADMIN_RESTORE_POINT_DIR',
  }),
  timeout: Flags.string({
    summary: 'Give up when recovery has not reached the target after this long.',
    default: '1h',
    env: 'FLUXADMIN_PITR_TIMEOUT',
  }),
  jobs: Flags.integer({
    summary: 'Parallel amcheck sessions.',
    default: 2,
    min: 1,
    max: 64,
    env: 'FLUXADMIN_VERIFY_JOBS',
  }),
  actor: Flags.string({summary: 'Who runs the drill, for the audit trail.', env: 'FLUXADMIN_ACTOR'}),
}

/** The flags as verifyPitr takes them (without the progress callbacks). */
export function pitrOptions(flags: {
  stanza: string
  'pgbackrest-config'?: string
  'restore-point'?: string
  'target-time'?: string
  dir?: string
  timeout: string
  jobs: number
  actor?: string
}): Omit<PitrOptions, 'onProgress' | 'onNote'> {
  return {
    stanza: flags.stanza,
    config: flags['pgbackrest-config'],
    target:
      flags['restore-point'] !== undefined
        ? {type: 'name', name: flags['restore-point']}
        : flags['target-time'] !== undefined
          ? {type: 'time', time: parseSince(flags['target-time'], '--target-time')}
          : {type: 'latest'},
    dir: flags.dir,
    timeoutMs: parseDuration(flags.timeout, '--timeout'),
    jobs: flags.jobs,
    actor: flags.actor,
  }
}
