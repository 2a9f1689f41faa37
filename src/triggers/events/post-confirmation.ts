import type { Services } from '../../services.js';
import type { UserPoolRecord, UserRecord } from '../../store/ports.js';
import { fireTrigger } from '../fire.js';
import { booleanResponseFields } from './response-fields.js';

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
 * The attributes Cognito sends a post confirmation handler: the user's attributes with `sub`,
 * `cognito:user_status`, and `cognito:email_alias` / `cognito:phone_number_alias` for a verified
 * email or phone that is a sign-in alias of the pool (as in the Developer Guide's sample event).
 */
function confirmedUserAttributes(pool: UserPoolRecord, user: UserRecord): Record<string, string> {
  const attributes: Record<string, string> = { sub: user.sub, ...user.attributes, 'cognito:user_status': user.status };
  const aliases = pool.config.AliasAttributes ?? [];
  for (const name of ['email', 'phone_number'] as const) {
    const value = user.attributes[name];
    if (aliases.includes(name) && value && user.attributes[`${name}_verified`] === 'true') attributes[`cognito:${name}_alias`] = value;
  }
  return attributes;
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
      userAttributes: confirmedUserAttributes(pool, call.user),
      ...(call.clientMetadata ? { clientMetadata: { ...call.clientMetadata } } : {}),
    },
  });
  booleanResponseFields(response ?? {}, []);
}
