import { ResourceNotFoundException } from '../../../generated/cognito-idp/errors.js';
import { defineOperation } from '../../define-operation.js';
import { authenticateAccessToken } from '../../../tokens/access-token.js';
import { assertMayManagePasskeys } from './passkey-user.js';

/**
 * DeleteWebAuthnCredential: removes one of the signed-in user's passkeys; another user's
 * credential, or none, is ResourceNotFoundException (best-guess wording).
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteWebAuthnCredential.html
 */
export const deleteWebAuthnCredential = defineOperation('DeleteWebAuthnCredential', async (input, { services }) => {
  const { pool, user } = await authenticateAccessToken(services, input.AccessToken);
  assertMayManagePasskeys(user);
  if (!(await services.store.webAuthnCredentials.delete(pool.id, user.usernameKey, input.CredentialId))) {
    throw new ResourceNotFoundException('Credential not found.');
  }
  return {};
});
