/**
 * Control characters (C0 but tab and newline, DEL, C1) and bidirectional overrides in data shown on
 * a terminal. A name a user chose or the text of a query anyone can send could otherwise move the
 * cursor, hide text, set the window title or the clipboard (OSC 52), or reorder what the operator
 * reads. They show as visible stand-ins: U+2400's control pictures (␛ for ESC), ␡, and U+FFFD.
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (ch) => {
    const code = ch.codePointAt(0)!
    if (code < 0x20) return String.fromCodePoint(0x2400 + code)
    return code === 0x7f ? '\u2421' : '\uFFFD'
  })
}

/** terminalSafe for text that must stay on its line (an error or a hint echoing input): tab and newline become ␉ and ␊. */
export function oneLineSafe(text: string): string {
  return terminalSafe(text).replace(/[\t\n]/g, (ch) => String.fromCodePoint(0x2400 + ch.codePointAt(0)!))
}

/** terminalSafe over every string in a value (arrays and plain objects included), before it is formatted. */
export function terminalSafeValue(value: unknown): unknown {
  if (typeof value === 'string') return terminalSafe(value)
  if (Array.isArray(value)) return value.map(terminalSafeValue)
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [terminalSafe(k), terminalSafeValue(v)]))
  }
  return value
}
