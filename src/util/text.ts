import {usageError} from '../errors.js'

/** A value given blank (as an unset shell variable gives it) is a usage error, never "not given"; undefined passes. */
export function checkNotBlank(value: string | undefined, what: string, hint: string): void {
  if (value !== undefined && !value.trim()) throw usageError(`${what} is empty`, hint)
}

/** Every run of whitespace (newlines and tabs included) as one space: text that must stay on its line. */
export const oneLine = (text: string) => text.replace(/\s+/g, ' ')

/** `a, b, c, d, e (+3 more)`: at most `max` items of a list, for one line of a message. */
export const names = (items: string[], max = 5) =>
  items.slice(0, max).join(', ') + (items.length > max ? ` (+${items.length - max} more)` : '')
