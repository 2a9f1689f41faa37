import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { ResourceNotFoundException } from '../../../generated/cognito-idp/errors.js';
import { BRANDING_NOT_FOUND } from './branding-shape.js';

/**
 * DeleteManagedLoginBranding: removes a style and its assets; the client's pages go back to
 * Cognate's default look.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteManagedLoginBranding.html
 */
export const deleteManagedLoginBranding = defineOperation('DeleteManagedLoginBranding', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const deleted = await services.store.transaction((store) => store.managedLoginBrandings.delete(pool.id, input.ManagedLoginBrandingId));
  if (!deleted) throw new ResourceNotFoundException(BRANDING_NOT_FOUND);
  return {};
});
