import type { AnyIdentityOperation } from '../../define-operation.js';
import { getId } from './get-id.js';
import { describeIdentity } from './describe-identity.js';
import { listIdentities } from './list-identities.js';
import { deleteIdentities } from './delete-identities.js';
import { unlinkIdentity } from './unlink-identity.js';
import { getOpenIdToken } from './get-open-id-token.js';
import { developerIdentitiesOperations } from './developer-identities.js';

/** The operations on identities of identity pools (Cognito Identity), one module each. */
export const identitiesOperations: readonly AnyIdentityOperation[] = [
  getId,
  describeIdentity,
  listIdentities,
  deleteIdentities,
  unlinkIdentity,
  getOpenIdToken,
  ...developerIdentitiesOperations,
];
