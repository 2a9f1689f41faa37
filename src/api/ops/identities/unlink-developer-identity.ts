import { ResourceNotFoundException } from '../../../generated/cognito-identity/errors.js';
import { defineIdentityOperation } from '../../define-operation.js';
import { requireIdentityPool } from '../identity-pools/identity-pool-shape.js';
import { developerLogin, requireDeveloperProvider, requireIdentityOfPool } from './developer-logins.js';

/**
 * UnlinkDeveloperIdentity (SigV4): the developer user identifier no longer signs in as the
 * identity; seen again, it gets a new identity. The identity keeps its ID and its other logins
 * (with none left it can no longer be reached, as the reference warns). An identifier the
 * identity does not have is ResourceNotFoundException (a guessed text).
 *
 * @see https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_UnlinkDeveloperIdentity.html
 */
export const unlinkDeveloperIdentity = defineIdentityOperation('UnlinkDeveloperIdentity', async (input, { services }) => {
  const pool = await requireIdentityPool(services, input.IdentityPoolId);
  const developer = requireDeveloperProvider(pool, input.DeveloperProviderName);
  const identity = await requireIdentityOfPool(services, pool, input.IdentityId);
  const unlinked = await services.store.identities.unlink(
    identity.id,
    developerLogin(developer, input.DeveloperUserIdentifier),
    services.clock.now(),
  );
  if (!unlinked) {
    throw new ResourceNotFoundException(
      `Developer user identifier '${input.DeveloperUserIdentifier}' is not linked to identity '${identity.id}'.`,
    );
  }
  return {};
});
