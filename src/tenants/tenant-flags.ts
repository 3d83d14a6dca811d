import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {boundedInteger, connectionFlags, mutationFlags, outputFlags} from '../shared-flags.js'

/** Every tenant mutation: connection, output (for the change rows), --dry-run, --yes, --actor. */
export const changeFlags = {...connectionFlags, ...outputFlags, ...mutationFlags}
/** Every tenant read. */
export const readFlags = {...connectionFlags, ...outputFlags}

export const orgArg = Args.string({name: 'org', required: true, description: 'organization slug or UUID'})
export const userArg = Args.string({name: 'user', required: true, description: 'user email or UUID'})
export const teamArg = Args.string({name: 'team', required: true, description: 'team slug (within --org) or UUID'})
export const projectArg = Args.string({
  name: 'project',
  required: true,
  description: 'project slug (within ORG) or UUID',
})
export const orgFlag = Flags.string({summary: 'Organization slug or UUID.', required: true})
export const orgFilterFlag = Flags.string({summary: 'Only this organization (slug or UUID).'})
export const limitFlag = boundedInteger({summary: 'At most this many rows.', default: 1000, min: 1, max: 1_000_000})

/** users create / users invite. */
export const newUserFlags = {
  ...changeFlags,
  email: Flags.string({summary: 'Email address (stored in lower case).', required: true}),
  name: Flags.string({summary: 'Display name.', required: true}),
  type: Flags.string({summary: 'User type: client, designer or admin.', required: true}),
  org: Flags.string({summary: 'Also add the user to this organization (slug or UUID).'}),
  role: Flags.string({summary: 'Role in --org: owner, admin, member, viewer (default member).', dependsOn: ['org']}),
}
