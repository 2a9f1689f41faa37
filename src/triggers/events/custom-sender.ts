import type { Services } from '../../services.js';
import type { UserPoolRecord, UserRecord } from '../../store/ports.js';
import { CognitoError } from '../../errors/cognito-error.js';
import { encryptForCustomSender } from '../../crypto/kms-envelope.js';
import { fireTrigger, triggerArn, type TriggerName } from '../fire.js';
import { triggerUserAttributes } from './user-attributes.js';
import type { MessageOrigin } from './custom-message.js';

function senderFor(medium: 'EMAIL' | 'SMS'): { trigger: TriggerName; type: string } {
  return medium === 'EMAIL'
    ? { trigger: 'CustomEmailSender', type: 'customEmailSenderRequestV1' }
    : { trigger: 'CustomSMSSender', type: 'customSMSSenderRequestV1' };
}

/** True when the pool sends messages of `medium` through its own function instead of Cognito's delivery. */
export function hasCustomSender(pool: UserPoolRecord, medium: 'EMAIL' | 'SMS'): boolean {
  return triggerArn(pool, senderFor(medium).trigger) !== undefined;
}

/**
 * Hands a code (or temporary password) to the pool's custom email or SMS sender instead of
 * delivering it: `CustomEmailSender_<source>` / `CustomSMSSender_<source>` with request
 * `{type, code, clientMetadata, userAttributes}`, the code encrypted as Cognito encrypts it (AWS
 * Encryption SDK, under `LambdaConfig.KMSKeyID`, src/crypto/kms-envelope.ts). Cognito invokes these
 * functions asynchronously, so a failing sender never fails the call that sent the code: its failure
 * is logged (and kept in the invocation log). Cognate waits for it, at most the trigger timeout.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-email-sender.html
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sms-sender.html
 */
export async function sendThroughCustomSender(
  services: Services,
  pool: UserPoolRecord,
  user: UserRecord,
  source: string,
  medium: 'EMAIL' | 'SMS',
  code: string,
  origin: MessageOrigin,
): Promise<void> {
  const { trigger, type } = senderFor(medium);
  const triggerSource = `${trigger}_${source}`;
  const keyArn = pool.config.LambdaConfig?.KMSKeyID;
  if (!keyArn) {
    services.logger.warn({ poolId: pool.id, triggerSource }, 'custom sender configured without LambdaConfig.KMSKeyID; message not sent');
    return;
  }
  await fireSender(services, pool, user, trigger, triggerSource, origin.clientId, {
    type,
    code: await encryptForCustomSender(services.sealer, keyArn, code),
    ...(origin.clientMetadata ? { clientMetadata: origin.clientMetadata } : {}),
    userAttributes: triggerUserAttributes(user),
  });
}

/** Fires a sender and keeps its failure to the log (and the invocation log): a sender never fails the call. */
async function fireSender(
  services: Services,
  pool: UserPoolRecord,
  user: UserRecord,
  trigger: TriggerName,
  triggerSource: string,
  clientId: string,
  request: Record<string, unknown>,
): Promise<void> {
  try {
    await fireTrigger(services, pool, { trigger, triggerSource, userName: user.username, clientId, request });
  } catch (error) {
    if (!(error instanceof CognitoError)) throw error;
    services.logger.warn({ poolId: pool.id, triggerSource, error: error.message }, 'custom sender failed; message not sent');
  }
}

/**
 * What `CustomEmailSender_AccountTakeOverNotification` gets as `userAttributes`: the risky
 * sign-in, not the user's attributes (@types/aws-lambda's
 * CustomEmailSender_AccountTakeOverNotification_UserAttributes). CITY, COUNTRY and DEVICE_NAME are
 * left out when unknown.
 */
export interface AccountTakeoverAttributes {
  EVENT_ID: string;
  USER_NAME: string;
  IP_ADDRESS: string;
  ACCOUNT_TAKE_OVER_ACTION: string;
  ONE_CLICK_LINK_VALID: string;
  ONE_CLICK_LINK_INVALID: string;
  LOGIN_TIME: string;
  FEEDBACK_TOKEN: string;
  DEVICE_NAME?: string;
}

/**
 * Hands a risk notification to the pool's custom email sender instead of sending the
 * NotifyConfiguration email: `CustomEmailSender_AccountTakeOverNotification`, with no code
 * (`code: null`) and the sign-in's details as `userAttributes`.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-email-sender.html
 */
export async function sendAccountTakeoverThroughCustomSender(
  services: Services,
  pool: UserPoolRecord,
  user: UserRecord,
  clientId: string,
  attributes: AccountTakeoverAttributes,
): Promise<void> {
  const { trigger, type } = senderFor('EMAIL');
  await fireSender(services, pool, user, trigger, `${trigger}_AccountTakeOverNotification`, clientId, {
    type,
    code: null,
    userAttributes: attributes,
  });
}
