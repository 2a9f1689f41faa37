import { defineOperation } from '../../define-operation.js';
import { requirePoolUser } from './require-user.js';
import { checkDeletable } from './attribute-changes.js';

/**
 * AdminDeleteUserAttributes: removes attributes from the user. Each must be in the schema,
 * mutable and not required (see checkDeletable). Removing `email` or `phone_number` removes its
 * verified flag and any change waiting for verification. Tokens already issued are not affected.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminDeleteUserAttributes.html
 */
export const adminDeleteUserAttributes = defineOperation('AdminDeleteUserAttributes', async (input, { services }) => {
  const { pool, user } = await requirePoolUser(services, input.UserPoolId, input.Username);
  const names = input.UserAttributeNames;
  checkDeletable(pool.config.SchemaAttributes ?? [], names);
  const attributes = { ...user.attributes };
  const pending = { ...user.extra.pending };
  for (const name of names) {
    delete attributes[name];
    delete pending[name];
    if (name === 'email') delete attributes['email_verified'];
    if (name === 'phone_number') delete attributes['phone_number_verified'];
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
