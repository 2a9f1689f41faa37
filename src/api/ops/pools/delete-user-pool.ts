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
  // Cognito keeps a pool's domain names reserved until they are deleted on their own
  // (https://github.com/hashicorp/terraform-provider-aws/issues/16479, rebuy-de/aws-nuke#330).
  if ((await services.store.domains.listForPool(pool.id)).length > 0) {
    throw new InvalidParameterException('User pool cannot be deleted. It has a domain configured that should be deleted first.');
  }
  // One transaction: a failure part-way must not leave half a pool behind.
  await services.store.transaction((store) => store.pools.delete(pool.id));
  services.keys.forget(pool.id);
  return {};
});
