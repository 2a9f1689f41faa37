import type { Services } from '../../services.js';
import type { UserPoolRecord, UserRecord } from '../../store/ports.js';
import { fireTrigger } from '../fire.js';
import { eventUserAttributes } from './user-attributes.js';

/** The sign-in a post authentication event describes. */
export interface PostAuthenticationCall {
  readonly clientId: string;
  readonly user: UserRecord;
  /** The sign-in introduced a device the pool had not seen (only in pools that track devices). */
  readonly newDeviceUsed: boolean;
  readonly clientMetadata: Record<string, string> | undefined;
}

/**
 * Runs the pool's post authentication trigger (`PostAuthentication_Authentication`) once a user
 * has authenticated, before any token is issued. A handler that throws fails the sign-in
 * ("PostAuthentication failed with error <message>."); Cognito reads nothing of its response.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-post-authentication.html
 */
export async function firePostAuthentication(services: Services, pool: UserPoolRecord, call: PostAuthenticationCall): Promise<void> {
  await fireTrigger(services, pool, {
    trigger: 'PostAuthentication',
    triggerSource: 'PostAuthentication_Authentication',
    userName: call.user.username,
    clientId: call.clientId,
    request: {
      userAttributes: eventUserAttributes(pool, call.user),
      newDeviceUsed: call.newDeviceUsed,
      ...(call.clientMetadata !== undefined ? { clientMetadata: call.clientMetadata } : {}),
    },
  });
}
