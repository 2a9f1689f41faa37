import type { Config } from '../config/schema.js';
import { boot } from '../bootstrap.js';
import { UsageError } from './args.js';

export const REVOKE_CREDENTIALS_USAGE = `Usage: cognate revoke-credentials <accessKeyId>

Revokes temporary AWS credentials Cognate issued (GetCredentialsForIdentity,
AssumeRoleWithWebIdentity), by their ASIA... access key id: every node refuses a request signed
with them from then on (InvalidClientTokenId in STS, UnrecognizedClientException elsewhere).
`;

/** The `cognate revoke-credentials` command. */
export async function runRevokeCredentials(
  args: readonly string[],
  config: Config,
  print: (text: string) => void = (text) => void process.stdout.write(text),
): Promise<void> {
  const accessKeyId = args[0];
  if (!accessKeyId) throw new UsageError('revoke-credentials needs an access key id', REVOKE_CREDENTIALS_USAGE);
  const booted = await boot({ ...config, logLevel: 'silent' });
  try {
    if (!(await booted.services.store.stsSessions.revoke(accessKeyId))) {
      throw new Error(`no temporary credentials with the access key id ${accessKeyId} (unknown, or swept after they expired)`);
    }
    print(`revoked the temporary credentials ${accessKeyId}\n`);
  } finally {
    await booted.close();
  }
}
