import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { requireDomainOfPool } from './domain-shape.js';

/**
 * DeleteUserPoolDomain: frees the name for any pool.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteUserPoolDomain.html
 */
export const deleteUserPoolDomain = defineOperation('DeleteUserPoolDomain', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const domain = await requireDomainOfPool(services, pool.id, input.Domain);
  await services.store.domains.delete(pool.id, domain.domain);
  return {};
});
