import { defineOperation } from '../../define-operation.js';
import { categoryOf } from '../../../domain/provisioned-limits.js';
import { limitOf } from './limit-shape.js';

/**
 * GetProvisionedLimit: an API category's provisioned and free request rates, account-wide.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetProvisionedLimit.html
 */
export const getProvisionedLimit = defineOperation('GetProvisionedLimit', async (input, { services }) => {
  const { name, category } = categoryOf(input.LimitDefinition);
  return { Limit: await limitOf(services, name, category.free) };
});
