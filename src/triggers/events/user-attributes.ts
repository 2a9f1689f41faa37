import type { UserPoolRecord, UserRecord } from '../../store/ports.js';

/**
 * A user's `request.userAttributes` as Cognito sends them to triggers: every attribute (with `sub`)
 * and the user's status as `cognito:user_status`.
 */
export function triggerUserAttributes(user: UserRecord): Record<string, string> {
  return { ...user.attributes, sub: user.sub, 'cognito:user_status': user.status };
}

/**
 * The sign-in and confirmation events' `request.userAttributes`: {@link triggerUserAttributes}, and `cognito:email_alias` /
 * `cognito:phone_number_alias` where the pool signs in with a verified email or phone as an alias,
 * as in the events AWS's developer guide shows.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html
 */
export function eventUserAttributes(pool: UserPoolRecord, user: UserRecord): Record<string, string> {
  const attributes = triggerUserAttributes(user);
  const aliases = pool.config.AliasAttributes ?? [];
  for (const field of ['email', 'phone_number'] as const) {
    const value = user.attributes[field];
    if (aliases.includes(field) && value !== undefined && user.attributes[`${field}_verified`] === 'true') {
      attributes[`cognito:${field}_alias`] = value;
    }
  }
  return attributes;
}
