import { DeveloperUserAlreadyRegisteredException, NotAuthorizedException } from '../../../generated/cognito-identity/errors.js';
import { defineIdentityOperation } from '../../define-operation.js';
import { signOpenIdToken } from '../../../tokens/open-id-token.js';
import { requireIdentityPool } from '../identity-pools/identity-pool-shape.js';
import { LOGINS_DONT_MATCH, hasLogin, identityForLogins, linkLogins, verifiedLogins } from './logins.js';
import { UNSUPPORTED_DEVELOPER_PROVIDER, amrOfLogins, developerLogin, requireIdentityOfPool } from './developer-logins.js';

/**
 * How long the token lasts when TokenDuration is not given: 15 minutes, as the operation's
 * reference says (TokenDuration itself may be 1 s to 24 h, checked by the model).
 */
const DEFAULT_TOKEN_SECONDS = 15 * 60;

/**
 * GetOpenIdTokenForDeveloperIdentity (SigV4; the app's backend): the identity of a user the
 * backend vouches for, under the pool's DeveloperProviderName with the backend's own user
 * identifier, created on first sight, and an OpenID token for it signed like GetOpenIdToken's.
 * Other `Logins` (user pool ID tokens) are verified and linked to the same identity. With an
 * IdentityId, the logins are linked to that identity: a guest becomes authenticated, and an
 * identity that already has logins must be presented one of them ("Logins don't match",
 * aws/aws-sdk-js#2327); a developer user identifier of another identity is
 * DeveloperUserAlreadyRegisteredException (the model's description of it).
 *
 * @see https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetOpenIdTokenForDeveloperIdentity.html
 */
export const getOpenIdTokenForDeveloperIdentity = defineIdentityOperation(
  'GetOpenIdTokenForDeveloperIdentity',
  async (input, { services }) => {
    const pool = await requireIdentityPool(services, input.IdentityPoolId);
    const developer = pool.config.DeveloperProviderName;
    if (developer === undefined || !(developer in input.Logins)) throw new NotAuthorizedException(UNSUPPORTED_DEVELOPER_PROVIDER);
    const { [developer]: userIdentifier, ...others } = input.Logins;
    const login = developerLogin(developer, userIdentifier!);
    const proven = [login, ...(await verifiedLogins(services, pool, others))];

    let identity;
    if (input.IdentityId === undefined) {
      identity = await identityForLogins(services, pool, proven);
    } else {
      const stored = await requireIdentityOfPool(services, pool, input.IdentityId);
      const owner = await services.store.identities.findByLogin(pool.id, login);
      if (owner && owner.id !== stored.id) {
        throw new DeveloperUserAlreadyRegisteredException(
          'The provided developer user identifier is already registered with Cognito under a different identity ID.',
        );
      }
      if (stored.logins.length > 0 && !proven.some((candidate) => hasLogin(stored, candidate)))
        throw new NotAuthorizedException(LOGINS_DONT_MATCH);
      identity = await linkLogins(services, stored, proven);
    }
    const token = await signOpenIdToken(services, {
      identityId: identity.id,
      identityPoolId: pool.id,
      amr: amrOfLogins(pool, proven),
      lifetimeSeconds: input.TokenDuration ?? DEFAULT_TOKEN_SECONDS,
      ...(input.PrincipalTags ? { principalTags: input.PrincipalTags } : {}),
    });
    return { IdentityId: identity.id, Token: token };
  },
);
