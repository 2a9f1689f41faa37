import type { AnyIdentityOperation } from '../../define-operation.js';
import { getOpenIdTokenForDeveloperIdentity } from './get-open-id-token-for-developer-identity.js';
import { lookupDeveloperIdentity } from './lookup-developer-identity.js';
import { mergeDeveloperIdentities } from './merge-developer-identities.js';
import { unlinkDeveloperIdentity } from './unlink-developer-identity.js';

/** The operations on developer-authenticated identities, one module each. */
export const developerIdentitiesOperations: readonly AnyIdentityOperation[] = [
  getOpenIdTokenForDeveloperIdentity,
  lookupDeveloperIdentity,
  mergeDeveloperIdentities,
  unlinkDeveloperIdentity,
];
