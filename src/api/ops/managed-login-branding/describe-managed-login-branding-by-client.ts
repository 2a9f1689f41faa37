import { defineOperation } from '../../define-operation.js';
import { requireClient, requirePool } from '../../lookup.js';
import { ResourceNotFoundException } from '../../../generated/cognito-idp/errors.js';
import { toBrandingType } from './branding-shape.js';

/**
 * DescribeManagedLoginBrandingByClient: the style assigned to an app client. A client without one
 * gets Cognito's message (measured, floci-io/floci#2869).
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeManagedLoginBrandingByClient.html
 */
export const describeManagedLoginBrandingByClient = defineOperation('DescribeManagedLoginBrandingByClient', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const client = await requireClient(services, pool.id, input.ClientId);
  const branding = await services.store.managedLoginBrandings.getByClient(pool.id, client.clientId);
  if (!branding) throw new ResourceNotFoundException(`ManagedLoginBranding for client ${client.clientId} does not exist.`);
  return { ManagedLoginBranding: await toBrandingType(services, branding, input.ReturnMergedResources === true) };
});
