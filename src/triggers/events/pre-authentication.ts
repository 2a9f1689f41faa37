import type { Services } from '../../services.js';
import type { UserPoolRecord, UserRecord } from '../../store/ports.js';
import { fireTrigger } from '../fire.js';
import { eventUserAttributes } from './user-attributes.js';

/** Who a pre authentication event is about: a user, or a name that matches none (existence hidden). */
export type PreAuthenticationSubject = { readonly user: UserRecord } | { readonly unknownName: string };

/** The sign-in a pre authentication event describes. */
export interface PreAuthenticationCall {
  readonly clientId: string;
  readonly subject: PreAuthenticationSubject;
  /** InitiateAuth's ClientMetadata, which Cognito passes as `validationData`. */
  readonly validationData: Record<string, string> | undefined;
  /** RespondToAuthChallenge's ClientMetadata, when an answer starts the sign-in (USER_AUTH's password). */
  readonly clientMetadata?: Record<string, string> | undefined;
}

/**
 * Runs the pool's pre authentication trigger (`PreAuthentication_Authentication`) before the
 * credentials of a sign-in are checked. A name that matches no user reaches it only while the app
 * client prevents user-existence errors, with `userNotFound: true` and no attributes. The handler
 * denies the sign-in by throwing ("PreAuthentication failed with error <message>."); Cognito reads
 * nothing of its response.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-authentication.html
 */
export async function firePreAuthentication(services: Services, pool: UserPoolRecord, call: PreAuthenticationCall): Promise<void> {
  const known = 'user' in call.subject ? call.subject.user : undefined;
  await fireTrigger(services, pool, {
    trigger: 'PreAuthentication',
    triggerSource: 'PreAuthentication_Authentication',
    userName: known ? known.username : 'unknownName' in call.subject ? call.subject.unknownName : '',
    clientId: call.clientId,
    request: {
      userAttributes: known ? eventUserAttributes(pool, known) : {},
      ...(call.validationData !== undefined ? { validationData: call.validationData } : {}),
      ...(call.clientMetadata !== undefined ? { clientMetadata: call.clientMetadata } : {}),
      ...(known ? {} : { userNotFound: true }),
    },
  });
}
