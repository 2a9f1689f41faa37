import {
  InvalidParameterException,
  NotAuthorizedException,
  ResourceConflictException,
} from '../../../generated/cognito-identity/errors.js';
import { defineIdentityOperation } from '../../define-operation.js';
import { decodePageToken, pageSize, slicePage } from '../../paging.js';
import { requireIdentityPool } from '../identity-pools/identity-pool-shape.js';
import {
  UNSUPPORTED_DEVELOPER_PROVIDER,
  developerUserIdentifiers,
  requireDeveloperIdentity,
  requireIdentityOfPool,
} from './developer-logins.js';

/**
 * LookupDeveloperIdentity (SigV4): the identity of a developer user identifier, or the developer
 * user identifiers of an identity (several after MergeDeveloperIdentities), MaxResults (up to 60)
 * at a time in order, with an opaque NextToken while more remain. Given both, they must belong
 * together, else ResourceConflictException, as the reference says; given neither,
 * InvalidParameterException. Texts are best guesses.
 *
 * @see https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_LookupDeveloperIdentity.html
 */
export const lookupDeveloperIdentity = defineIdentityOperation('LookupDeveloperIdentity', async (input, { services, requestId }) => {
  const pool = await requireIdentityPool(services, input.IdentityPoolId);
  const developer = pool.config.DeveloperProviderName;
  if (developer === undefined) throw new NotAuthorizedException(UNSUPPORTED_DEVELOPER_PROVIDER);
  if (input.IdentityId === undefined && input.DeveloperUserIdentifier === undefined) {
    throw new InvalidParameterException('Either IdentityId or DeveloperUserIdentifier must be specified.');
  }
  const identity =
    input.DeveloperUserIdentifier === undefined
      ? await requireIdentityOfPool(services, pool, input.IdentityId!)
      : await requireDeveloperIdentity(services, pool, developer, input.DeveloperUserIdentifier);
  if (input.IdentityId !== undefined && input.IdentityId !== identity.id) {
    throw new ResourceConflictException('The DeveloperUserIdentifier does not belong to the IdentityId.');
  }
  const after = decodePageToken(input.NextToken, requestId);
  const size = pageSize(input.MaxResults);
  const rest = developerUserIdentifiers(identity, developer).filter((identifier) => after === undefined || identifier > after);
  const page = slicePage(rest.slice(0, size + 1), size, (identifier) => identifier);
  return {
    IdentityId: identity.id,
    DeveloperUserIdentifierList: page.items,
    ...(page.next ? { NextToken: page.next } : {}),
  };
});
