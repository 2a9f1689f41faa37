import { defineOperation } from '../../define-operation.js';
import { authenticateAccessToken } from '../../../tokens/access-token.js';
import { startRegistration } from '../../../auth/webauthn.js';
import { assertMayManagePasskeys } from './passkey-user.js';

/**
 * StartWebAuthnRegistration: the CredentialCreationOptions (as JSON) for the signed-in user's
 * browser to create a passkey with `navigator.credentials.create()`, for the pool's relying party.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_StartWebAuthnRegistration.html
 */
export const startWebAuthnRegistration = defineOperation('StartWebAuthnRegistration', async (input, { services }) => {
  const { pool, user, claims } = await authenticateAccessToken(services, input.AccessToken);
  assertMayManagePasskeys(user);
  const options = await startRegistration(services, { pool, user, clientId: claims.client_id });
  return { CredentialCreationOptions: options };
});
