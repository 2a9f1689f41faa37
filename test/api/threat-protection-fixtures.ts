import { CreateUserPoolCommand, SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../support/server.js';

/**
 * A pool with threat protection ENFORCED, an 8-character password policy, email through SES, and
 * OPTIONAL MFA with email codes (`Sign in with {####}`): where adaptive authentication's MFA
 * actions have a factor to ask for. Returns its ID.
 */
export async function enforcedEmailMfaPool(server: TestServer, name: string): Promise<string> {
  const created = await server.admin.send(
    new CreateUserPoolCommand({
      PoolName: name,
      Policies: { PasswordPolicy: { MinimumLength: 8 } },
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      EmailConfiguration: {
        EmailSendingAccount: 'DEVELOPER',
        SourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/no-reply@example.com',
      },
    }),
  );
  const poolId = created.UserPool!.Id!;
  await server.admin.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: poolId,
      MfaConfiguration: 'OPTIONAL',
      EmailMfaConfiguration: { Message: 'Sign in with {####}', Subject: 'Your code' },
    }),
  );
  return poolId;
}
