import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { customizationFor } from '../../../pages/branding.js';
import { requireCustomizedClient, requireDomain, toUICustomizationType } from './ui-customization-shape.js';

/**
 * GetUICustomization: the client's own branding, else the pool's `ALL` default (answered as that,
 * with ClientId `ALL`), else only the pool and client IDs asked about.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetUICustomization.html
 */
export const getUICustomization = defineOperation('GetUICustomization', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  await requireDomain(services, pool);
  const clientId = await requireCustomizedClient(services, pool, input.ClientId);
  const record = await customizationFor(services, pool.id, clientId);
  return { UICustomization: record ? toUICustomizationType(services, record) : { UserPoolId: pool.id, ClientId: clientId } };
});
