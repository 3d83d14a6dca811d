import {Args, Flags} from '@oclif/core'
import {connectionFlags, mutationFlags, outputFlags} from '../flags.js'

/** Every tenant mutation: connection, output (for the change rows), --dry-run, --yes, --actor. */
export const changeFlags = {...connectionFlags, ...outputFlags, ...mutationFlags}
/** Every tenant read. */
export const readFlags = {...connectionFlags, ...outputFlags}

export const orgArg = Args.string({name: 'org', required: true, description: 'organization slug or UUID'})
export const userArg = Args.string({name: 'user', required: true, description: 'user email or UUID'})
export const teamArg = Args.string({name: 'team', required: true, description: 'team slug (within --org) or UUID'})
export const orgFlag = (required = true) => Flags.string({summary: 'Organization slug or UUID.', required})
export const limitFlag = Flags.integer({summary: 'At most this many rows.', default: 1000, min: 1})
