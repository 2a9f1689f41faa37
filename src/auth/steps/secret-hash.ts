import { NotAuthorizedException } from '../../generated/cognito-idp/errors.js';
import type { UserPoolClientRecord } from '../../store/ports.js';
import { secretHashMatches } from '../../crypto/secret-hash.js';
import { constantTimeEqual } from '../../crypto/compare.js';

function notReceived(client: UserPoolClientRecord): NotAuthorizedException {
  return new NotAuthorizedException(`Client ${client.clientId} is configured for secret but secret was not received`);
}

function notVerified(client: UserPoolClientRecord): NotAuthorizedException {
  return new NotAuthorizedException(`Unable to verify secret hash for client ${client.clientId}`);
}

/** True when the client has a secret, so its calls must prove they know it. */
export function hasSecret(client: UserPoolClientRecord): boolean {
  return client.secrets.length > 0;
}

/**
 * Checks SECRET_HASH when the client has a secret (any active secret may have made it). Cognito
 * accepts the hash of the name the user typed or of the internal username, so callers pass every
 * name that may have been hashed. A client without a secret ignores the parameter.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html#cognito-user-pools-computing-secret-hash
 */
export function checkSecretHash(client: UserPoolClientRecord, provided: string | undefined, usernames: readonly string[]): void {
  if (!hasSecret(client)) return;
  if (!provided) throw notReceived(client);
  const secrets = client.secrets.map((s) => s.secret);
  let ok = false;
  // Every name is tried, so the time taken does not say which one matched.
  for (const name of new Set(usernames)) if (secretHashMatches(secrets, name, client.clientId, provided)) ok = true;
  if (!ok) throw notVerified(client);
}

/** Whether SECRET_HASH is needed and absent: checked before anything that needs the user. */
export function assertSecretHashPresent(client: UserPoolClientRecord, provided: string | undefined): void {
  if (hasSecret(client) && !provided) throw notReceived(client);
}

/** Checks a raw ClientSecret (GetTokensFromRefreshToken, RevokeToken) against every active secret. */
export function checkClientSecret(client: UserPoolClientRecord, provided: string | undefined): void {
  if (!hasSecret(client)) return;
  if (!provided) throw notReceived(client);
  let ok = false;
  for (const { secret } of client.secrets) if (constantTimeEqual(secret, provided)) ok = true;
  if (!ok) throw notVerified(client);
}
