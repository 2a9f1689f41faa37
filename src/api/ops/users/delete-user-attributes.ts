import { defineOperation } from '../../define-operation.js';
import { authenticateAccessToken } from '../../../tokens/access-token.js';
import { assertClientMayWrite } from './shared.js';
import { checkDeletable, withoutAttributes } from '../../../auth/user-attributes.js';

/**
 * DeleteUserAttributes: removes attributes from the signed-in user. Removing an email or phone
 * number also removes its `*_verified` flag and any value waiting for verification. Attributes
 * the client may not write, immutable, required or unknown ones are refused.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteUserAttributes.html
 */
export const deleteUserAttributes = defineOperation('DeleteUserAttributes', async (input, { services }) => {
  const { pool, user, claims } = await authenticateAccessToken(services, input.AccessToken);
  const client = await services.store.clients.get(pool.id, claims.client_id);
  assertClientMayWrite(client, input.UserAttributeNames);
  checkDeletable(pool.config.SchemaAttributes ?? [], input.UserAttributeNames);

  await services.store.users.update(withoutAttributes(user, input.UserAttributeNames, services.clock.now()));
  return {};
});
