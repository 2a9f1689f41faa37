import { defineIdentityOperation } from '../../define-operation.js';
import { signOpenIdToken } from '../../../tokens/open-id-token.js';
import { requireIdentityPool } from '../identity-pools/identity-pool-shape.js';
import { requireIdentity } from './identity-shape.js';
import { signInAsIdentity } from './logins.js';
import { amrOfLogins } from './developer-logins.js';

/**
 * GetOpenIdToken (unsigned, as on AWS): an OpenID token for an identity, signed with the identity
 * service's keys (discovery and JWKS under its issuer). Logins are verified as GetId verifies them.
 * An identity with logins must present at least one of them again; logins it lacks are linked to
 * it (Cognito's implicit link), which makes a guest identity an authenticated one. Its `amr` is
 * `authenticated` and, per login, the provider's name and Cognito's `<provider>:CognitoSignIn:<sub>`.
 * A guest presenting none needs a pool that still allows guests; its `amr` is `unauthenticated`.
 *
 * @see https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetOpenIdToken.html
 */
export const getOpenIdToken = defineIdentityOperation('GetOpenIdToken', async (input, { services }) => {
  const stored = await requireIdentity(services, input.IdentityId);
  const pool = await requireIdentityPool(services, stored.identityPoolId);
  const proven = await signInAsIdentity(services, pool, stored, input.Logins);
  const amr = amrOfLogins(pool, proven);
  const token = await signOpenIdToken(services, { identityId: stored.id, identityPoolId: pool.id, amr });
  return { IdentityId: stored.id, Token: token };
});
