/** Command-line parsing shared by the `cognate` subcommands in this folder. */

/** A bad command line: printed with the command's usage, exit status 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
  }
}

/** Reads `--name value` from argv. */
export function option(args: readonly string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

/** True when `--name` is present. */
export function flag(args: readonly string[], name: string): boolean {
  return args.includes(name);
}

/** Reads `--name <integer>` within bounds; undefined when absent. */
export function integerOption(
  args: readonly string[],
  name: string,
  bounds: { min: number; max?: number; usage: string },
): number | undefined {
  const text = option(args, name);
  if (text === undefined) return undefined;
  const value = Number(text.replace(/_/g, ''));
  const max = bounds.max ?? Number.MAX_SAFE_INTEGER;
  if (!/^\d[\d_]*$/.test(text) || !Number.isSafeInteger(value) || value < bounds.min || value > max) {
    throw new UsageError(
      `${name} expects an integer from ${bounds.min}${bounds.max === undefined ? '' : ` to ${bounds.max}`}`,
      bounds.usage,
    );
  }
  return value;
}
