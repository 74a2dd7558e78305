// Integer option values (--rounds, --top): a usage error naming the option and the range.
import { UsageError } from "./errors.js";

export function integerOption(
  value: string | boolean | undefined,
  option: string,
  range: { readonly min: number; readonly max: number; readonly fallback: number },
): number {
  if (value === undefined) return range.fallback;
  const n = /^\d+$/.test(String(value)) ? Number(value) : Number.NaN;
  if (!(n >= range.min && n <= range.max))
    throw new UsageError(
      `${option} must be an integer from ${range.min} to ${range.max}, got "${value}"`,
      `e.g. ${option} ${range.fallback} (the default)`,
    );
  return n;
}
