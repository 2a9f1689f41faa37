import type { Services } from '../../services.js';
import type { UserPoolRecord } from '../../store/ports.js';
import { fireTrigger } from '../fire.js';
import { assertOnlyFields, booleanField, challengeRequestBase, type ChallengeSubject } from './auth-challenge-common.js';

/**
 * Fires VerifyAuthChallengeResponse_Authentication with the challenge's private parameters and the
 * user's answer, and returns `answerCorrect` (null or absent is a wrong answer). Undefined when the
 * pool has no such trigger. Any other response field, or an `answerCorrect` that is not a boolean,
 * is InvalidLambdaResponseException.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-verify-auth-challenge-response.html
 */
export async function verifyAuthChallengeResponse(
  services: Services,
  pool: UserPoolRecord,
  call: {
    subject: ChallengeSubject;
    clientId: string;
    privateChallengeParameters: Record<string, string>;
    challengeAnswer: string;
    clientMetadata: Record<string, string> | undefined;
  },
): Promise<boolean | undefined> {
  const response = await fireTrigger(services, pool, {
    trigger: 'VerifyAuthChallengeResponse',
    triggerSource: 'VerifyAuthChallengeResponse_Authentication',
    userName: call.subject.userName,
    clientId: call.clientId,
    request: {
      ...challengeRequestBase(call.subject, call.clientMetadata),
      privateChallengeParameters: call.privateChallengeParameters,
      challengeAnswer: call.challengeAnswer,
    },
    response: { answerCorrect: null },
  });
  if (response === undefined) return undefined;
  assertOnlyFields('VerifyAuthChallengeResponse', response, ['answerCorrect']);
  return booleanField('VerifyAuthChallengeResponse', response, 'answerCorrect');
}
