import { defineOperation } from '../../define-operation.js';
import { publicUserAddress } from '../../../domain/threat-protection.js';
import { requireClientById } from '../../lookup.js';
import { startAuth } from '../../../auth/engine.js';
import { toAuthResponse } from '../../../auth/types.js';

/**
 * InitiateAuth: starts a sign-in from a public app: USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH (and the
 * other flows as the engine gains them). The answer is tokens or the next challenge.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html
 */
export const initiateAuth = defineOperation('InitiateAuth', async (input, { services, sourceIp: requestIp, requestId }) => {
  const { client, pool } = await requireClientById(services, input.ClientId);
  // Threat protection, the auth events and devices see the end user's address.
  const sourceIp = publicUserAddress(requestIp, client, input.UserContextData);
  const outcome = await startAuth(
    {
      services,
      pool,
      client,
      api: 'public',
      clientMetadata: undefined,
      validationData: input.ClientMetadata,
      sourceIp,
      requestId,
      initiateSession: input.Session,
    },
    input.AuthFlow,
    input.AuthParameters ?? {},
  );
  return toAuthResponse(outcome);
});
