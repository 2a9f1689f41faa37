import { defineIdentityOperation } from '../../define-operation.js';
import { requireIdentityPool } from '../identity-pools/identity-pool-shape.js';
import { identityForLogins, verifiedLogins } from './logins.js';

/**
 * GetId (unsigned, as on AWS): the identity a sign-in maps to in an identity pool, created on the
 * first call; the same ID every time for the same user. With no logins, a new guest identity when
 * the pool allows unauthenticated identities. AccountId is accepted and not checked.
 *
 * @see https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetId.html
 */
export const getId = defineIdentityOperation('GetId', async (input, { services }) => {
  const pool = await requireIdentityPool(services, input.IdentityPoolId);
  const identity = await identityForLogins(services, pool, await verifiedLogins(services, pool, input.Logins));
  return { IdentityId: identity.id };
});
