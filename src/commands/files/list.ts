import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../base-command.js'
import {nextPage} from '../../output/messages.js'
import {FILE_METADATA_KEYS} from '../../schema/jsonb.js'
import {cursorFlag} from '../../shared-flags.js'
import {FILE_COLUMNS, listFiles} from '../../tenants/files.js'
import {readFlags} from '../../tenants/tenant-flags.js'

export default class FilesList extends BaseCommand {
  static override summary =
    'The files of an organization: size, version, latest flag and the documented metadata, newest first, in pages.'
  static override description = 'Each page ends with "next page: --cursor CURSOR" on stderr when there is more.'
  static override examples = [
    '<%= config.bin %> files list --org acme-studio --missing dimensions --mime "image/%"',
    '<%= config.bin %> files list --org acme-studio --limit 100 --format json',
  ]
  static override flags = {
    ...readFlags,
    org: Flags.string({summary: 'Organization slug or UUID.', required: true}),
    missing: Flags.string({
      summary: `Only files whose metadata lacks this documented key: ${FILE_METADATA_KEYS.join(', ')}.`,
    }),
    mime: Flags.string({summary: 'Only files whose MIME type matches this LIKE pattern (image/%).'}),
    limit: Flags.integer({summary: 'Files per page.', default: 100, min: 1, max: 1000}),
    cursor: cursorFlag,
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(FilesList)
    const session = await this.connect(flags)
    const page = await listFiles(session, {
      org: flags.org,
      missing: flags.missing,
      mime: flags.mime,
      limit: flags.limit,
      after: flags.cursor,
    })
    await this.output(page.rows, flags, {columns: FILE_COLUMNS})
    if (page.next) nextPage(page.next)
  }
}
