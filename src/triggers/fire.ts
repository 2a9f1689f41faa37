import type { LambdaConfigType } from '../generated/cognito-idp/shapes.js';
import type { Services } from '../services.js';
import type { UserPoolRecord } from '../store/ports.js';
import { InvalidLambdaResponseException } from '../generated/cognito-idp/errors.js';
import { cognitoErrorFor } from './outcome.js';

/**
 * The triggers a pool's `LambdaConfig` names by a plain ARN. (Pre token generation V2/V3 and the
 * custom senders are named through their own config objects; their callers pass the ARN.)
 */
export type TriggerName =
  | 'PreSignUp'
  | 'CustomMessage'
  | 'PostConfirmation'
  | 'PreAuthentication'
  | 'PostAuthentication'
  | 'DefineAuthChallenge'
  | 'CreateAuthChallenge'
  | 'VerifyAuthChallengeResponse'
  | 'PreTokenGeneration'
  | 'UserMigration'
  | 'CustomSMSSender'
  | 'CustomEmailSender';

/**
 * Cognito's `callerContext.clientId` when the call came through no app client (the admin
 * operations that take none, such as AdminCreateUser).
 */
export const CLIENT_ID_NOT_APPLICABLE = 'CLIENT_ID_NOT_APPLICABLE';

/** What a caller knows of one trigger invocation; the common event fields are added here. */
export interface TriggerCall<Request extends object> {
  /** Which trigger, in Cognito's words for its messages ("PreSignUp failed with error ..."). */
  trigger: TriggerName;
  /** The function's ARN; defaults to the pool's `LambdaConfig[trigger]` (a plain ARN). */
  functionArn?: string;
  /** e.g. `PreSignUp_SignUp`. */
  triggerSource: string;
  /** The event's `userName`: the user's username (or the alias they typed, where Cognito sends that). */
  userName: string;
  /** The app client, or {@link CLIENT_ID_NOT_APPLICABLE}. */
  clientId: string;
  request: Request;
  /** The response as it starts, with every field the trigger may set present (null or default). */
  response?: object;
  /** The event version: `1`, or `2`/`3` for pre token generation V2/V3. */
  version?: string;
}

/** The ARN of a pool's trigger, when one is configured. */
export function triggerArn(pool: UserPoolRecord, trigger: TriggerName): string | undefined {
  const config: LambdaConfigType = pool.config.LambdaConfig ?? {};
  const value = config[trigger];
  if (typeof value === 'string') return value === '' ? undefined : value;
  // CustomSMSSender and CustomEmailSender are `{ LambdaVersion, LambdaArn }`.
  return value?.LambdaArn === '' ? undefined : value?.LambdaArn;
}

/**
 * Builds Cognito's event for a trigger, runs the pool's function, and returns the `response` it
 * answered, or undefined when the pool has no such trigger. A failed invocation throws the
 * Cognito exception for it (UserLambdaValidationException, UnexpectedLambdaException,
 * InvalidLambdaResponseException); an answer whose `response` is not an object is invalid.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html
 */
export async function fireTrigger<Request extends object>(
  services: Services,
  pool: UserPoolRecord,
  call: TriggerCall<Request>,
): Promise<Record<string, unknown> | undefined> {
  const functionArn = call.functionArn ?? triggerArn(pool, call.trigger);
  if (functionArn === undefined) return undefined;
  const event = {
    version: call.version ?? '1',
    triggerSource: call.triggerSource,
    region: services.config.region,
    userPoolId: pool.id,
    userName: call.userName,
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: call.clientId },
    request: call.request,
    response: call.response ?? {},
  };
  const outcome = await services.triggers.invoke(functionArn, event, { poolId: pool.id, triggerSource: call.triggerSource });
  const error = cognitoErrorFor(outcome, call.trigger);
  if (error) throw error;
  if (outcome.kind !== 'ok') throw new Error('unreachable: a failed outcome maps to an error');
  const response = outcome.result['response'];
  if (response === null || response === undefined) return {};
  if (typeof response !== 'object' || Array.isArray(response)) {
    throw new InvalidLambdaResponseException('Unrecognizable lambda output', { cause: 'response is not an object' });
  }
  return response as Record<string, unknown>;
}
