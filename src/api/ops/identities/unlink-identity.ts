import { NotAuthorizedException } from '../../../generated/cognito-identity/errors.js';
import { userPoolOfProviderName, userPoolProviderName } from '../../../domain/identity-pools.js';
import { defineIdentityOperation } from '../../define-operation.js';
import { requireIdentityPool } from '../identity-pools/identity-pool-shape.js';
import { requireIdentity } from './identity-shape.js';
import { LOGINS_DONT_MATCH, hasLogin, verifiedLogins } from './logins.js';

/**
 * UnlinkIdentity (unsigned, as on AWS): removes the logins of the providers in LoginsToRemove from
 * an identity. The caller proves the identity is theirs with Logins, verified as GetId verifies
 * them, at least one of which must be linked to it; else Cognito's "Logins don't match". A user
 * pool provider may be named in either form.
 *
 * @see https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_UnlinkIdentity.html
 */
export const unlinkIdentity = defineIdentityOperation('UnlinkIdentity', async (input, { services }) => {
  const identity = await requireIdentity(services, input.IdentityId);
  const pool = await requireIdentityPool(services, identity.identityPoolId);
  const proven = await verifiedLogins(services, pool, input.Logins);
  if (!proven.some((login) => hasLogin(identity, login))) {
    throw new NotAuthorizedException(LOGINS_DONT_MATCH);
  }
  const names = new Set(
    input.LoginsToRemove.map((name) => {
      const userPoolId = userPoolOfProviderName(name, services.publicUrl());
      return userPoolId === undefined ? name : userPoolProviderName(userPoolId);
    }),
  );
  const now = services.clock.now();
  for (const login of identity.logins) if (names.has(login.providerName)) await services.store.identities.unlink(identity.id, login, now);
  return {};
});
