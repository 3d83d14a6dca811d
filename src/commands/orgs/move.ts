import type {Interfaces} from '@oclif/core'
import {moveOrgToNode, type MoveProgress} from '../../citus/move.js'
import {moveNote, moveProgressLine} from '../../citus/move-notes.js'
import {PROOF_COLUMNS} from '../../citus/move-proof.js'
import {usageError} from '../../errors.js'
import {PART_COLUMNS} from '../../lifecycle/archive-flags.js'
import {LifecycleCommand} from '../../lifecycle/command.js'
import {moveOrg} from '../../lifecycle/move.js'
import {moveFlags} from '../../lifecycle/move-flags.js'
import {confirm} from '../../output/confirm.js'
import {note, progressNotes} from '../../output/messages.js'
import {orgArg} from '../../tenants/tenant-flags.js'

export default class OrgsMove extends LifecycleCommand {
  static override summary =
    'Move an organization: to another database (--to: export, import, verify), or on Citus to another worker online (--to-node).'
  static override description = `--to URL: the organization must be suspended (exit 2 otherwise): writes during the copy would be lost.
The import runs in one transaction on the target and commits only when every table's row count and checksum there match the source's snapshot.
Both databases get an audit row with the same move id. The source is purged only with --delete-source, and only after the verification passed.
--to-node HOST:PORT (Citus): isolates the organization first if it shares its shard (audited, admin.org.isolated), then moves its shard group with citus_move_shard_placement by logical replication, so writes go on until a short cut-over (audited, admin.org.moved, with source and target). Afterwards, per tenant table, the organization's rows before and after (count, checksum); it prints how long writes were blocked. An unknown node, or the node that holds it already: exit 2, nothing done.`
  static override examples = [
    '<%= config.bin %> orgs move north-high --to postgres://ops@shard-2/fluxstudio --dry-run',
    '<%= config.bin %> orgs move north-high --to postgres://ops@shard-2/fluxstudio --delete-source --yes',
    '<%= config.bin %> orgs move north-high --to-node 10.0.0.8:5432 --yes',
  ]
  static override args = {org: orgArg}
  static override flags = moveFlags

  async run(): Promise<void> {
    const {args, flags} = await this.parse(OrgsMove)
    if (flags['to-node'] !== undefined) return this.toNode(args.org, flags['to-node'], flags)
    if (flags.to === undefined)
      throw usageError(
        'orgs move needs --to or --to-node',
        'give --to URL (another database) or --to-node HOST:PORT (a Citus worker)',
      )
    if (
      !(await confirm(`move ${args.org}${flags['delete-source'] ? ' and delete it from the source' : ''}`, {
        yes: flags.yes,
        dryRun: flags['dry-run'],
      }))
    )
      return
    const timeouts = {...flags, 'statement-timeout': flags['statement-timeout'] ?? '30s'}
    const source = await this.connect(timeouts)
    const target = await this.connect({...timeouts, 'db-url': flags.to})
    const onStep = process.stderr.isTTY ? (step: string) => note(step) : undefined
    const result = await moveOrg(source, target, args.org, {
      dryRun: flags['dry-run'],
      deleteSource: flags['delete-source'],
      actor: flags.actor,
      workDir: flags['work-dir'],
      onStep,
    })
    await this.output(result.parts, flags, {columns: PART_COLUMNS.filter((c) => c !== 'file')})
    note(
      flags['dry-run']
        ? `dry run: copied and verified on the target, rolled back (move ${result.moveId})`
        : `moved and verified (move ${result.moveId})${result.purged ? '; source purged' : ''}`,
    )
  }

  private async toNode(
    org: string,
    node: string,
    flags: Interfaces.InferredFlags<typeof OrgsMove.flags>,
  ): Promise<void> {
    if (flags.to !== undefined) throw usageError('--to and --to-node are two kinds of move: give one')
    if (!(await confirm(`move ${org} to ${node}`, {yes: flags.yes, dryRun: flags['dry-run']}))) return
    const session = await this.connect({...flags, 'statement-timeout': flags['statement-timeout'] ?? '1h'})
    const result = await moveOrgToNode(session, org, node, {
      dryRun: flags['dry-run'],
      actor: flags.actor,
      transferMode: flags['transfer-mode'],
      onStep: progressNotes(),
      onProgress: process.stderr.isTTY ? showMoveProgress : undefined,
    })
    if (result.status === 'planned')
      await this.output([result], flags, {columns: ['organization', 'source', 'target', 'shard_id', 'isolated_first']})
    else await this.output(result.proof, flags, {columns: PROOF_COLUMNS})
    note(moveNote(result))
  }
}

function showMoveProgress(rows: MoveProgress[]): void {
  const line = moveProgressLine(rows)
  if (line) process.stderr.write(`\r\u001B[K${line}`)
}
