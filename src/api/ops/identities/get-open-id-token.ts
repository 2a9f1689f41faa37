import { NotAuthorizedException } from '../../../generated/cognito-identity/errors.js';
import { defineIdentityOperation } from '../../define-operation.js';
import { signOpenIdToken } from '../../../tokens/open-id-token.js';
import { requireIdentityPool } from '../identity-pools/identity-pool-shape.js';
import { requireIdentity } from './identity-shape.js';
import { LOGINS_DONT_MATCH, UNAUTHENTICATED, verifiedLogins } from './logins.js';

/**
 * GetOpenIdToken (unsigned, as on AWS): an OpenID token for an identity, signed with the identity
 * service's keys (discovery and JWKS under its issuer). An identity with logins must present one
 * of them again, verified as GetId verifies it; its `amr` is `authenticated` and, per login, the
 * provider's name and Cognito's `<provider>:CognitoSignIn:<sub>`. A guest identity presents none,
 * and its pool must still allow guests; its `amr` is `unauthenticated`. Cognate does not link new
 * logins to an identity here (AWS's "implicit link"): a login the identity lacks is refused.
 *
 * @see https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetOpenIdToken.html
 */
export const getOpenIdToken = defineIdentityOperation('GetOpenIdToken', async (input, { services }) => {
  const identity = await requireIdentity(services, input.IdentityId);
  const pool = await requireIdentityPool(services, identity.identityPoolId);
  const proven = await verifiedLogins(services, pool, input.Logins);
  let amr: string[];
  if (identity.logins.length === 0 && proven.length === 0) {
    if (!pool.config.AllowUnauthenticatedIdentities) throw new NotAuthorizedException(UNAUTHENTICATED);
    amr = ['unauthenticated'];
  } else {
    const own = proven.filter((login) =>
      identity.logins.some((linked) => linked.providerName === login.providerName && linked.subject === login.subject),
    );
    if (own.length === 0 || own.length < proven.length) throw new NotAuthorizedException(LOGINS_DONT_MATCH);
    amr = ['authenticated', ...own.flatMap((login) => [login.providerName, `${login.providerName}:CognitoSignIn:${login.subject}`])];
  }
  const token = await signOpenIdToken(services, { identityId: identity.id, identityPoolId: pool.id, amr });
  return { IdentityId: identity.id, Token: token };
});
