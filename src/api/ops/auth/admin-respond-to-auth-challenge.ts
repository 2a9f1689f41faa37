import { defineOperation } from '../../define-operation.js';
import { endUserAddress } from '../../../domain/threat-protection.js';
import { requireClient, requirePool } from '../../lookup.js';
import { answerChallenge } from '../../../auth/engine.js';
import { toAuthResponse } from '../../../auth/types.js';

/**
 * AdminRespondToAuthChallenge: the SigV4 twin of RespondToAuthChallenge, naming the pool.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminRespondToAuthChallenge.html
 */
export const adminRespondToAuthChallenge = defineOperation(
  'AdminRespondToAuthChallenge',
  async (input, { services, sourceIp: requestIp, requestId, caller }) => {
    const pool = await requirePool(services, input.UserPoolId);
    const client = await requireClient(services, pool.id, input.ClientId);
    // Threat protection, the auth events and devices see the end user's address.
    const sourceIp = endUserAddress(requestIp, input.ContextData?.IpAddress);
    const outcome = await answerChallenge(
      { services, pool, client, api: 'admin', clientMetadata: input.ClientMetadata, sourceIp, requestId, actor: caller?.accessKeyId },
      input.ChallengeName,
      input.ChallengeResponses ?? {},
      input.Session,
    );
    return toAuthResponse(outcome);
  },
);
