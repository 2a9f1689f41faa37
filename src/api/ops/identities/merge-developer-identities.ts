import { ResourceConflictException } from '../../../generated/cognito-identity/errors.js';
import { defineIdentityOperation } from '../../define-operation.js';
import { requireIdentityPool } from '../identity-pools/identity-pool-shape.js';
import { requireDeveloperIdentity, requireDeveloperProvider } from './developer-logins.js';

/**
 * MergeDeveloperIdentities (SigV4): the source user's identity joins the destination user's.
 * Every login of the source identity moves to the destination identity, which keeps its ID, and
 * the source identity is gone; the answer is the destination's ID. Both users must be known
 * (ResourceNotFoundException). Identities that hold the same other provider as two different users
 * cannot be merged (ResourceConflictException, as the reference says; the text is a guess).
 * Merging users of one identity changes nothing.
 *
 * @see https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_MergeDeveloperIdentities.html
 */
export const mergeDeveloperIdentities = defineIdentityOperation('MergeDeveloperIdentities', async (input, { services }) => {
  const pool = await requireIdentityPool(services, input.IdentityPoolId);
  const developer = requireDeveloperProvider(pool, input.DeveloperProviderName);
  const source = await requireDeveloperIdentity(services, pool, developer, input.SourceUserIdentifier);
  const destination = await requireDeveloperIdentity(services, pool, developer, input.DestinationUserIdentifier);
  if (source.id === destination.id) return { IdentityId: destination.id };
  const clash = source.logins.find(
    (login) =>
      login.providerName !== developer &&
      destination.logins.some((own) => own.providerName === login.providerName && own.subject !== login.subject),
  );
  if (clash) {
    throw new ResourceConflictException(`The identities are linked to two different users of ${clash.providerName} and cannot be merged.`);
  }
  // The source's Cognito Sync datasets go with it (renamed `<name>.<source ID>` where the names clash).
  await services.store.transaction(async (store) => {
    await store.identities.merge(source.id, destination.id, services.clock.now());
    await store.sync.moveIdentity(source.id, destination.id);
  });
  return { IdentityId: destination.id };
});
