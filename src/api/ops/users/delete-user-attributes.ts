import { defineOperation } from '../../define-operation.js';
import { authenticateAccessToken } from '../../../tokens/access-token.js';
import { assertClientMayWrite, checkDeletable, isVerifiable, verifiedFlag } from './shared.js';

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

  const attributes = { ...user.attributes };
  const pending = { ...(user.extra.pending ?? {}) };
  for (const name of input.UserAttributeNames) {
    delete attributes[name];
    if (isVerifiable(name)) {
      delete attributes[verifiedFlag(name)];
      delete pending[name];
    }
  }
  const { pending: _previous, ...extra } = user.extra;
  await services.store.users.update({
    ...user,
    attributes,
    extra: Object.keys(pending).length > 0 ? { ...extra, pending } : extra,
    updatedAt: services.clock.now(),
  });
  return {};
});
