import type { UserRecord } from '../store/ports.js';

/**
 * A user's `request.userAttributes` as Cognito sends them to triggers: every attribute (with `sub`)
 * and the user's status as `cognito:user_status`.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html
 */
export function triggerUserAttributes(user: UserRecord): Record<string, string> {
  return { ...user.attributes, sub: user.sub, 'cognito:user_status': user.status };
}
