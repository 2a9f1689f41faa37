import { InvalidLambdaResponseException } from '../../generated/cognito-idp/errors.js';
import type { AttributeType } from '../../generated/cognito-idp/shapes.js';
import type { Services } from '../../services.js';
import type { UserPoolRecord, UserRecord } from '../../store/ports.js';
import { fireTrigger } from '../fire.js';
import { booleanResponseFields } from './response-fields.js';

/** Why a user is being created: Cognito's pre sign-up trigger sources. */
export type PreSignUpSource = 'PreSignUp_SignUp' | 'PreSignUp_AdminCreateUser' | 'PreSignUp_ExternalProvider';

/** What the pre sign-up handler decided; all false when the pool has no such trigger. */
export interface PreSignUpDecision {
  autoConfirmUser: boolean;
  autoVerifyEmail: boolean;
  autoVerifyPhone: boolean;
}

const RESPONSE_FIELDS = ['autoConfirmUser', 'autoVerifyEmail', 'autoVerifyPhone'] as const;

export interface PreSignUpCall {
  source: PreSignUpSource;
  /** The app client, or CLIENT_ID_NOT_APPLICABLE. */
  clientId: string;
  /** The user as it would be created (username and attributes). */
  user: UserRecord;
  /** SignUp's and AdminCreateUser's ValidationData. */
  validationData?: readonly AttributeType[] | undefined;
  clientMetadata?: Readonly<Record<string, string>> | undefined;
}

/**
 * Attributes not given by the caller or the provider: Cognito has not created the user yet, so
 * there is no `sub`, and the `identities` it will keep for a federated user are its own.
 */
const NOT_YET_ATTRIBUTES = new Set(['sub', 'identities']);

/**
 * Runs the pool's pre sign-up trigger before a user is created. The event's `userAttributes` are
 * those given (or mapped from the provider), `validationData` is the request's ValidationData as a
 * map (null without), `clientMetadata` appears when the request had one. A handler that throws
 * refuses the sign-up (UserLambdaValidationException "PreSignUp failed with error ...").
 *
 * AdminCreateUser ignores the three response fields, as the Developer Guide says; `autoVerify*`
 * for an attribute the user does not have is refused as an invalid answer (wording a best guess:
 * the guide says only that "an error will occur").
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-sign-up.html
 */
export async function firePreSignUp(services: Services, pool: UserPoolRecord, call: PreSignUpCall): Promise<PreSignUpDecision> {
  const userAttributes = Object.fromEntries(Object.entries(call.user.attributes).filter(([name]) => !NOT_YET_ATTRIBUTES.has(name)));
  const validationData = call.validationData ? Object.fromEntries(call.validationData.map((a) => [a.Name, a.Value ?? ''])) : null;
  const response = await fireTrigger(services, pool, {
    trigger: 'PreSignUp',
    triggerSource: call.source,
    userName: call.user.username,
    clientId: call.clientId,
    request: { userAttributes, validationData, ...(call.clientMetadata ? { clientMetadata: { ...call.clientMetadata } } : {}) },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  });
  const decision = booleanResponseFields(response ?? {}, RESPONSE_FIELDS);
  if (call.source === 'PreSignUp_AdminCreateUser') return { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false };
  if (decision.autoVerifyEmail && !userAttributes['email']) {
    throw new InvalidLambdaResponseException('Invalid lambda response: autoVerifyEmail is set but the user has no email.');
  }
  if (decision.autoVerifyPhone && !userAttributes['phone_number']) {
    throw new InvalidLambdaResponseException('Invalid lambda response: autoVerifyPhone is set but the user has no phone_number.');
  }
  return decision;
}
