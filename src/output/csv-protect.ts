/**
 * CSV formula injection (OWASP): a spreadsheet runs a cell that starts with = + - @ tab or CR as a
 * formula. Such text cells get a leading single quote, which spreadsheets show as text; `--csv-raw`
 * keeps the bytes as psql writes them. A cell that is only a number, as PostgreSQL prints an integer
 * or a numeric (`-6771444866598337082`, `-12.50`), is a number to a spreadsheet, not a formula: it
 * stays as it is (bigint and numeric values reach the row renderer as strings).
 */
const FORMULA_START = /^[=+\-@\t\r]/
const NUMBER = /^-\d+(\.\d+)?$/

export function protectCell(text: string): string {
  return FORMULA_START.test(text) && !NUMBER.test(text) ? `'${text}` : text
}
