/**
 * CSV formula injection (OWASP): a spreadsheet runs a cell that starts with = + - @ tab or CR as a
 * formula. Such text cells get a leading single quote, which spreadsheets show as text; `--csv-raw`
 * keeps the bytes as psql writes them.
 */
const FORMULA_START = /^[=+\-@\t\r]/

export function protectCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text
}
