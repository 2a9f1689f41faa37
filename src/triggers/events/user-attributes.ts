import type { UserPoolRecord, UserRecord } from '../../store/ports.js';

/**
 * A user's attributes as Cognito puts them in a trigger event's `request.userAttributes`: every
 * attribute (with `sub`), `cognito:user_status`, and `cognito:email_alias` /
 * `cognito:phone_number_alias` where the pool signs in with a verified email or phone as an alias,
 * as in the events AWS's developer guide shows.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html
 */
export function eventUserAttributes(pool: UserPoolRecord, user: UserRecord): Record<string, string> {
  const attributes: Record<string, string> = { ...user.attributes, 'cognito:user_status': user.status };
  const aliases = pool.config.AliasAttributes ?? [];
  for (const field of ['email', 'phone_number'] as const) {
    const value = user.attributes[field];
    if (aliases.includes(field) && value !== undefined && user.attributes[`${field}_verified`] === 'true') {
      attributes[`cognito:${field}_alias`] = value;
    }
  }
  return attributes;
}
