import { defineOperation } from '../../define-operation.js';
import { authenticateAccessToken } from '../../../tokens/access-token.js';
import { completeRegistration } from '../../../auth/webauthn.js';
import { assertMayManagePasskeys } from './passkey-user.js';

/**
 * CompleteWebAuthnRegistration: registers the passkey the browser created from
 * StartWebAuthnRegistration's options (`Credential`, a RegistrationResponseJSON).
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CompleteWebAuthnRegistration.html
 */
export const completeWebAuthnRegistration = defineOperation('CompleteWebAuthnRegistration', async (input, { services }) => {
  const { pool, user, claims } = await authenticateAccessToken(services, input.AccessToken);
  assertMayManagePasskeys(user);
  await completeRegistration(services, { pool, user, clientId: claims.client_id }, input.Credential);
  return {};
});
