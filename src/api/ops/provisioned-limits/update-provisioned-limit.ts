import { defineOperation } from '../../define-operation.js';
import { categoryOf, checkRequestedLimit } from '../../../domain/provisioned-limits.js';
import { limitOf, provisionedLimitKey } from './limit-shape.js';

/**
 * UpdateProvisionedLimit: provisions an adjustable category's rate, from its default up to the
 * account's maximum (src/domain/provisioned-limits.ts). Stored, never enforced.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateProvisionedLimit.html
 */
export const updateProvisionedLimit = defineOperation('UpdateProvisionedLimit', async (input, { services }) => {
  const { name, category } = categoryOf(input.LimitDefinition);
  checkRequestedLimit(name, category, input.RequestedLimitValue);
  await services.store.settings.put(provisionedLimitKey(name), String(input.RequestedLimitValue));
  return { Limit: await limitOf(services, name, category.free) };
});
