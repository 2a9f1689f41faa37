import type { Services } from '../../services.js';
import type { UserPoolRecord } from '../../store/ports.js';
import { fireTrigger } from '../fire.js';
import {
  assertOnlyFields,
  booleanField,
  challengeRequestBase,
  stringField,
  type ChallengeResult,
  type ChallengeSubject,
} from './auth-challenge-common.js';

/** What the define auth challenge trigger decided. */
export interface DefineAuthChallengeDecision {
  readonly challengeName: string | undefined;
  readonly issueTokens: boolean;
  readonly failAuthentication: boolean;
}

/**
 * Fires DefineAuthChallenge_Authentication with the challenge history so far and returns its
 * decision: tokens, failure, or the next challenge. Undefined when the pool has no such trigger.
 * A response field other than `challengeName`, `issueTokens` and `failAuthentication`, or one of the
 * wrong type, is InvalidLambdaResponseException.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-define-auth-challenge.html
 */
export async function defineAuthChallenge(
  services: Services,
  pool: UserPoolRecord,
  call: {
    subject: ChallengeSubject;
    clientId: string;
    session: readonly ChallengeResult[];
    clientMetadata: Record<string, string> | undefined;
  },
): Promise<DefineAuthChallengeDecision | undefined> {
  const response = await fireTrigger(services, pool, {
    trigger: 'DefineAuthChallenge',
    triggerSource: 'DefineAuthChallenge_Authentication',
    userName: call.subject.userName,
    clientId: call.clientId,
    request: { ...challengeRequestBase(call.subject, call.clientMetadata), session: call.session },
    response: { challengeName: null, issueTokens: null, failAuthentication: null },
  });
  if (response === undefined) return undefined;
  const trigger = 'DefineAuthChallenge';
  assertOnlyFields(trigger, response, ['challengeName', 'issueTokens', 'failAuthentication']);
  return {
    challengeName: stringField(trigger, response, 'challengeName'),
    issueTokens: booleanField(trigger, response, 'issueTokens'),
    failAuthentication: booleanField(trigger, response, 'failAuthentication'),
  };
}
