import { defineOperation } from '../../define-operation.js';
import { publicUserAddress } from '../../../domain/threat-protection.js';
import { requireClientById } from '../../lookup.js';
import { answerChallenge } from '../../../auth/engine.js';
import { toAuthResponse } from '../../../auth/types.js';

/**
 * RespondToAuthChallenge: answers the challenge InitiateAuth (or an earlier answer) returned, with
 * the Session it carried.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html
 */
export const respondToAuthChallenge = defineOperation('RespondToAuthChallenge', async (input, { services, sourceIp, requestId }) => {
  const { client, pool } = await requireClientById(services, input.ClientId);
  // Threat protection, the auth events and devices see the end user's address.
  const address = publicUserAddress(sourceIp, client, input.UserContextData);
  const outcome = await answerChallenge(
    { services, pool, client, api: 'public', clientMetadata: input.ClientMetadata, sourceIp: address, requestId },
    input.ChallengeName,
    input.ChallengeResponses ?? {},
    input.Session,
  );
  return toAuthResponse(outcome);
});
