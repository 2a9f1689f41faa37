import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { requireBranding, toBrandingType } from './branding-shape.js';

/**
 * DescribeManagedLoginBranding: a style by its ID, with Cognito's defaults under its own settings
 * when ReturnMergedResources is true.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeManagedLoginBranding.html
 */
export const describeManagedLoginBranding = defineOperation('DescribeManagedLoginBranding', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const branding = await requireBranding(services, pool.id, input.ManagedLoginBrandingId);
  return { ManagedLoginBranding: await toBrandingType(services, branding, input.ReturnMergedResources === true) };
});
