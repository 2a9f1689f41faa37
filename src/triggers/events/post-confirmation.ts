import type { Services } from '../../services.js';
import type { UserPoolRecord, UserRecord } from '../../store/ports.js';
import { fireTrigger } from '../fire.js';
import { booleanResponseFields } from './response-fields.js';
import { eventUserAttributes } from './user-attributes.js';

/** Why a user became confirmed: Cognito's post confirmation trigger sources. */
export type PostConfirmationSource = 'PostConfirmation_ConfirmSignUp' | 'PostConfirmation_ConfirmForgotPassword';

export interface PostConfirmationCall {
  source: PostConfirmationSource;
  /** The app client, or CLIENT_ID_NOT_APPLICABLE. */
  clientId: string;
  /** The user as stored after the confirmation. */
  user: UserRecord;
  clientMetadata?: Readonly<Record<string, string>> | undefined;
}

/**
 * Runs the pool's post confirmation trigger once a user is confirmed (and stored as such). The
 * handler may answer only an empty `response`. A failure reaches the caller as Cognito's exception
 * while the user stays confirmed, as on AWS.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-post-confirmation.html
 */
export async function firePostConfirmation(services: Services, pool: UserPoolRecord, call: PostConfirmationCall): Promise<void> {
  const response = await fireTrigger(services, pool, {
    trigger: 'PostConfirmation',
    triggerSource: call.source,
    userName: call.user.username,
    clientId: call.clientId,
    request: {
      userAttributes: eventUserAttributes(pool, call.user),
      ...(call.clientMetadata ? { clientMetadata: { ...call.clientMetadata } } : {}),
    },
  });
  booleanResponseFields(response ?? {}, []);
}
