import {usageError} from '../errors.js'

/** A value given blank (as an unset shell variable gives it) is a usage error, never "not given"; undefined passes. */
export function checkNotBlank(value: string | undefined, what: string, hint: string): void {
  if (value !== undefined && !value.trim()) throw usageError(`${what} is empty`, hint)
}
