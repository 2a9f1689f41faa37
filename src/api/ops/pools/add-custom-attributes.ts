import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { addCustomAttributes } from '../../../domain/attributes.js';

/**
 * AddCustomAttributes: appends `custom:` (or `dev:custom:`) attributes to the pool's schema.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AddCustomAttributes.html
 */
export const addCustomAttributesOperation = defineOperation('AddCustomAttributes', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const schema = addCustomAttributes(pool.config.SchemaAttributes ?? [], input.CustomAttributes);
  await services.store.pools.update({ ...pool, config: { ...pool.config, SchemaAttributes: schema }, updatedAt: services.clock.now() });
  return {};
});
