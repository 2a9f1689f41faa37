import { createHmac } from 'node:crypto';
import { constantTimeEqual } from './compare.js';

/**
 * Cognito's SECRET_HASH: Base64(HMAC-SHA256(key = clientSecret, message = username + clientId)).
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html#cognito-user-pools-computing-secret-hash
 */
export function computeSecretHash(clientSecret: string, username: string, clientId: string): string {
  return createHmac('sha256', clientSecret)
    .update(username + clientId, 'utf8')
    .digest('base64');
}

/** True when `provided` matches the hash under any of the client's active secrets. */
export function secretHashMatches(secrets: readonly string[], username: string, clientId: string, provided: string): boolean {
  let ok = false;
  for (const secret of secrets) {
    // Check every secret so the time taken does not tell which one matched.
    if (constantTimeEqual(computeSecretHash(secret, username, clientId), provided)) ok = true;
  }
  return ok;
}
