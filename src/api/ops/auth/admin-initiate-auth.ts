import { defineOperation } from '../../define-operation.js';
import { endUserAddress } from '../../../domain/threat-protection.js';
import { requireClient, requirePool } from '../../lookup.js';
import { startAuth } from '../../../auth/engine.js';
import { toAuthResponse } from '../../../auth/types.js';

/**
 * AdminInitiateAuth: starts a sign-in from a trusted back end (SigV4): ADMIN_USER_PASSWORD_AUTH
 * (legacy ADMIN_NO_SRP_AUTH), REFRESH_TOKEN_AUTH, and the shared flows as the engine gains them.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminInitiateAuth.html
 */
export const adminInitiateAuth = defineOperation('AdminInitiateAuth', async (input, { services, sourceIp, requestId, caller }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const client = await requireClient(services, pool.id, input.ClientId);
  // Threat protection, the auth events and devices see the end user's address.
  const address = endUserAddress(sourceIp, input.ContextData?.IpAddress);
  const outcome = await startAuth(
    {
      services,
      pool,
      client,
      api: 'admin',
      clientMetadata: undefined,
      validationData: input.ClientMetadata,
      sourceIp: address,
      requestId,
      actor: caller?.accessKeyId,
      initiateSession: input.Session,
    },
    input.AuthFlow,
    input.AuthParameters ?? {},
  );
  return toAuthResponse(outcome);
});
