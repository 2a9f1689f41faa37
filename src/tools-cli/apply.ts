import type { Config } from '../config/schema.js';
import { UsageError, flag } from './args.js';

export const APPLY_USAGE = `Usage: cognate apply <file> [--dry-run] [--prune] [--partial]

Applies a declarative setup (YAML or JSON, in Cognito's member names) to the database: user pools,
their app clients (with fixed ids and secrets if given), groups, resource servers, identity
providers, domains and users, and identity pools with their roles.
Prints the plan (create, update, unchanged, delete), applies it through the operations, then the
pool and client ids. Applying the same file again changes nothing.

The file may also be an AWS CloudFormation template (what \`cdk synth\` writes): its
AWS::Cognito::UserPool, UserPoolClient, UserPoolGroup, UserPoolResourceServer, UserPoolDomain,
UserPoolIdentityProvider, UserPoolUser, UserPoolUserToGroupAttachment, IdentityPool and
IdentityPoolRoleAttachment resources are applied, and its Outputs printed as a stack's.

  --dry-run   print the plan and change nothing
  --prune     delete what the file no longer declares: clients, groups, resource servers, identity
              providers, domains and users of the declared pools, pools the file does not declare,
              and identity pools it does not declare when it has IdentityPools
  --partial   for a template: skip the resources and functions Cognate does not apply (each is
              listed) instead of refusing the template

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
      partial: flag(args, '--partial'),
      print: (line) => process.stdout.write(`${line}\n`),
    });
  } finally {
    await booted.close();
  }
}
