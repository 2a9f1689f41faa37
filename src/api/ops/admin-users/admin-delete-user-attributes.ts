import { defineOperation } from '../../define-operation.js';
import { requirePoolUser } from '../../lookup.js';
import { checkDeletable, withoutAttributes } from '../../../auth/user-attributes.js';

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
  await services.store.users.update(withoutAttributes(user, names, services.clock.now()));
  return {};
});
