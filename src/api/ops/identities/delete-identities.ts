import { defineIdentityOperation } from '../../define-operation.js';

/**
 * DeleteIdentities: deletes up to 60 identities with their logins; a login of a deleted identity
 * maps to a new identity at its next GetId. An ID that names no identity is left as it is and not
 * reported, so UnprocessedIdentityIds is always empty: nothing in Cognate denies a deletion.
 *
 * @see https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_DeleteIdentities.html
 */
export const deleteIdentities = defineIdentityOperation('DeleteIdentities', async (input, { services }) => {
  for (const id of input.IdentityIdsToDelete) {
    await services.store.identities.delete(id);
    await services.store.sync.deleteIdentity(id);
  }
  return { UnprocessedIdentityIds: [] };
});
