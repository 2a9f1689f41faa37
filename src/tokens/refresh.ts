import type { AuthenticationResultType } from '../generated/cognito-idp/shapes.js';
import { NotAuthorizedException, RefreshTokenReuseException } from '../generated/cognito-idp/errors.js';
import type { Services } from '../services.js';
import type { RefreshTokenRecord, UserPoolClientRecord, UserPoolRecord, UserRecord } from '../store/ports.js';
import { sha256Hex } from '../crypto/compare.js';
import { issueTokens } from './issue.js';

/** A refresh token found valid, with its user. */
export interface FoundRefreshToken {
  readonly hash: string;
  readonly record: RefreshTokenRecord;
  readonly user: UserRecord;
}

export function invalidRefreshToken(): NotAuthorizedException {
  return new NotAuthorizedException('Invalid Refresh Token');
}

function revoked(): NotAuthorizedException {
  return new NotAuthorizedException('Refresh Token has been revoked');
}

/** Best-guess wording: Cognito's text for a rotated-out token has not been seen in the wild. */
function reused(): RefreshTokenReuseException {
  return new RefreshTokenReuseException('Refresh Token has been reused');
}

/** How long a rotated-out token still works, for client retries (RetryGracePeriodSeconds, 0 to 60). */
function gracePeriodMs(client: UserPoolClientRecord): number {
  return (client.config.RefreshTokenRotation?.RetryGracePeriodSeconds ?? 0) * 1000;
}

/**
 * Refuses a token rotated out longer ago than the client's grace period. Such a token coming back
 * means two parties hold the session (the client moved on to its successor), so, as RFC 9700
 * §4.14.2 asks, the whole family is revoked: every refresh token since the sign-in, and with them
 * the access tokens of that `origin_jti`. Cognito documents only the refusal.
 */
async function assertNotRotatedOut(services: Services, client: UserPoolClientRecord, record: RefreshTokenRecord): Promise<void> {
  const now = services.clock.now();
  if (record.replacedAt === null || now - record.replacedAt < gracePeriodMs(client)) return;
  await services.store.refreshTokens.revokeFamily(record.originJti, now);
  throw reused();
}

/**
 * Finds a refresh token presented by an app client and checks it can still be used: issued by this
 * pool to this client, not revoked (RevokeToken, sign-out, reuse), not expired, not rotated out past
 * its grace period (which revokes its family), and its user still there (the same user, not one created later under the same
 * name) and enabled.
 *
 * Texts: "Invalid Refresh Token", "Refresh Token has been revoked" and "Refresh Token has expired"
 * are Cognito's (captured responses, e.g. https://github.com/aws-amplify/amplify-swift/issues/3344).
 */
export async function loadRefreshToken(
  services: Services,
  pool: UserPoolRecord,
  client: UserPoolClientRecord,
  token: string,
): Promise<FoundRefreshToken> {
  const hash = sha256Hex(token);
  const record = await services.store.refreshTokens.get(hash);
  if (!record || record.poolId !== pool.id || record.clientId !== client.clientId) throw invalidRefreshToken();
  if (record.revokedAt !== null) throw revoked();
  if (record.expiresAt <= services.clock.now()) throw new NotAuthorizedException('Refresh Token has expired');
  await assertNotRotatedOut(services, client, record);
  const user = await services.store.users.get(pool.id, record.usernameKey);
  if (!user || user.createdAt > record.createdAt) throw invalidRefreshToken();
  // A global sign-out after the token was issued revokes it.
  if (record.createdAt < user.tokensValidAfter) throw revoked();
  if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
  return { hash, record, user };
}

/**
 * New ID and access tokens from a valid refresh token, keeping the session's `auth_time`,
 * `origin_jti`, scopes and device. With `rotate`, the token is replaced by a new one that keeps the
 * remaining lifetime of the old, and the old one stops working after the client's grace period.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-refresh-token.html
 */
export async function redeemRefreshToken(
  services: Services,
  pool: UserPoolRecord,
  client: UserPoolClientRecord,
  found: FoundRefreshToken,
  options: { rotate: boolean; clientMetadata?: Readonly<Record<string, string>> | undefined },
): Promise<AuthenticationResultType> {
  const { record, user } = found;
  if (options.rotate && record.replacedAt === null) {
    const first = await services.store.refreshTokens.markReplaced(found.hash, services.clock.now());
    if (!first) {
      // Another request rotated it in the meantime: this one is a retry within the grace period, or a reuse.
      const now = await services.store.refreshTokens.get(found.hash);
      if (!now) throw invalidRefreshToken();
      await assertNotRotatedOut(services, client, now);
    }
  }
  return issueTokens(services, {
    source: 'TokenGeneration_RefreshTokens',
    pool,
    client,
    user,
    authTime: record.authTime,
    originJti: record.originJti,
    ...(record.deviceKey ? { deviceKey: record.deviceKey } : {}),
    scopes: record.scopes,
    refresh: options.rotate ? 'new' : 'none',
    refreshExpiresAt: record.expiresAt,
    clientMetadata: options.clientMetadata,
  });
}
