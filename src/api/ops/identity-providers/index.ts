import type { AnyOperation } from '../../define-operation.js';
import { createIdentityProvider } from './create-identity-provider.js';
import { describeIdentityProvider } from './describe-identity-provider.js';
import { updateIdentityProvider } from './update-identity-provider.js';
import { deleteIdentityProvider } from './delete-identity-provider.js';
import { listIdentityProviders } from './list-identity-providers.js';
import { getIdentityProviderByIdentifier } from './get-identity-provider-by-identifier.js';

/** The identity-provider operations, one module each. */
export const identityProvidersOperations: readonly AnyOperation[] = [
  createIdentityProvider,
  describeIdentityProvider,
  updateIdentityProvider,
  deleteIdentityProvider,
  listIdentityProviders,
  getIdentityProviderByIdentifier,
];
