import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { InvalidParameterException } from '../../../generated/cognito-idp/errors.js';

/**
 * DeleteUserPool: removes the pool and everything in it (users, groups, clients, codes, tokens,
 * keys). A pool with deletion protection is refused with Cognito's text (captured in
 * https://github.com/localstack/localstack/issues/11947 and matched verbatim by aws-nuke).
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteUserPool.html
 */
export const deleteUserPool = defineOperation('DeleteUserPool', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  if (pool.config.DeletionProtection === 'ACTIVE') {
    throw new InvalidParameterException(
      'The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.',
    );
  }
  // One transaction: a failure part-way must not leave half a pool behind.
  await services.store.transaction((store) => store.pools.delete(pool.id));
  services.keys.forget(pool.id);
  return {};
});
