import {usageError} from '../errors.js'

const INT8_MIN = -(2n ** 63n)
const INT8_MAX = 2n ** 63n - 1n
/** Dashes a document or a chat puts where a minus was typed (U+2212 minus, U+2012/2013 dashes, small and fullwidth hyphen-minus). */
const MINUS = /^[\u2212\u2012\u2013\uFE63\uFF0D]/

/**
 * A queryid as people paste it: half of all queryids are negative, copied from a document (a Unicode minus), from a
 * spreadsheet (a leading quote that kept it text) or with spaces around it. Returns it as PostgreSQL reads a bigint.
 */
export function parseQueryid(text: string): string {
  const id = text.trim().replace(/^'/, '').replace(MINUS, '-')
  if (!/^-?\d{1,20}$/.test(id) || BigInt(id) < INT8_MIN || BigInt(id) > INT8_MAX) {
    throw usageError(
      `invalid queryid "${text}"`,
      'a queryid is a 64-bit integer, as `stats top` shows it; a negative one may follow `--`: stats explain -- -7161...',
    )
  }
  return id
}
