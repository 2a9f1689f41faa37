import type { Services } from '../../services.js';
import type { UserPoolRecord } from '../../store/ports.js';
import { fireTrigger } from '../fire.js';
import {
  assertOnlyFields,
  challengeRequestBase,
  stringField,
  stringMapField,
  type ChallengeResult,
  type ChallengeSubject,
} from './auth-challenge-common.js';

/** The challenge the create auth challenge trigger made. */
export interface CreatedAuthChallenge {
  /** Shown to the client as ChallengeParameters. */
  readonly publicChallengeParameters: Record<string, string>;
  /** Kept in the sealed session for the verify trigger. */
  readonly privateChallengeParameters: Record<string, string>;
  /** Recorded with the round's result in the `session` history. */
  readonly challengeMetadata: string | null;
}

/**
 * Fires CreateAuthChallenge_Authentication for the challenge the define trigger named, with the
 * history so far. Undefined when the pool has no such trigger. A response field other than
 * `publicChallengeParameters`, `privateChallengeParameters` and `challengeMetadata`, or one of the
 * wrong type, is InvalidLambdaResponseException.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-create-auth-challenge.html
 */
export async function createAuthChallenge(
  services: Services,
  pool: UserPoolRecord,
  call: {
    subject: ChallengeSubject;
    clientId: string;
    challengeName: string;
    session: readonly ChallengeResult[];
    clientMetadata: Record<string, string> | undefined;
  },
): Promise<CreatedAuthChallenge | undefined> {
  const response = await fireTrigger(services, pool, {
    trigger: 'CreateAuthChallenge',
    triggerSource: 'CreateAuthChallenge_Authentication',
    userName: call.subject.userName,
    clientId: call.clientId,
    request: { ...challengeRequestBase(call.subject, call.clientMetadata), challengeName: call.challengeName, session: call.session },
    response: { publicChallengeParameters: null, privateChallengeParameters: null, challengeMetadata: null },
  });
  if (response === undefined) return undefined;
  const trigger = 'CreateAuthChallenge';
  assertOnlyFields(trigger, response, ['publicChallengeParameters', 'privateChallengeParameters', 'challengeMetadata']);
  return {
    publicChallengeParameters: stringMapField(trigger, response, 'publicChallengeParameters'),
    privateChallengeParameters: stringMapField(trigger, response, 'privateChallengeParameters'),
    challengeMetadata: stringField(trigger, response, 'challengeMetadata') ?? null,
  };
}
