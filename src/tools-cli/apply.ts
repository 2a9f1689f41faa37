import type { Config } from '../config/schema.js';
import { UsageError, flag } from './args.js';

export const APPLY_USAGE = `Usage: cognate apply <file> [--dry-run] [--prune]

Applies a declarative setup (YAML or JSON, in Cognito's member names) to the database: user pools,
their app clients (with fixed ids and secrets if given), groups, resource servers, identity
providers, domains and users, and identity pools with their roles.
Prints the plan (create, update, unchanged, delete), applies it through the operations, then the
pool and client ids. Applying the same file again changes nothing.

  --dry-run   print the plan and change nothing
  --prune     delete what the file no longer declares: clients, groups, resource servers, identity
              providers, domains and users of the declared pools, pools the file does not declare,
              and identity pools it does not declare when it has IdentityPools

See the README's "Declarative setup" for the format.
`;

/** `cognate apply <file>`: exit 1 with every problem when the file or its plan is bad. */
export async function runApply(args: readonly string[], config: Config): Promise<void> {
  const file = args.find((arg) => !arg.startsWith('-'));
  if (file === undefined) throw new UsageError('cognate apply: the file to apply is required', APPLY_USAGE);
  const { boot } = await import('../bootstrap.js');
  const { applyFile } = await import('../apply/apply.js');
  const booted = await boot({ ...config, logLevel: 'silent' });
  try {
    await applyFile(booted.services, file, {
      dryRun: flag(args, '--dry-run'),
      prune: flag(args, '--prune'),
      print: (line) => process.stdout.write(`${line}\n`),
    });
  } finally {
    await booted.close();
  }
}
