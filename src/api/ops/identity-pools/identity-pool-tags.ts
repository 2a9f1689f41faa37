import { InvalidParameterException, ResourceNotFoundException } from '../../../generated/cognito-identity/errors.js';
import type { Services } from '../../../services.js';
import type { IdentityPoolRecord } from '../../../store/ports.js';

/** Most tags an identity pool can carry (Cognito's documented quota). */
export const MAX_IDENTITY_POOL_TAGS = 50;

/** `arn:aws:cognito-identity:<region>:<account>:identitypool/<id>`, the ARN of an identity pool. */
export function identityPoolArn(services: Services, id: string): string {
  return `arn:aws:cognito-identity:${services.config.region}:${services.config.accountId}:identitypool/${id}`;
}

/**
 * The identity pool a tagging operation's ResourceArn names. Any other ARN, or the ARN of a pool
 * that does not exist here, is ResourceNotFoundException (a pool in the wording of every other
 * unknown-pool error; the text for another ARN is Cognate's).
 */
export async function requireTaggableIdentityPool(services: Services, arn: string): Promise<IdentityPoolRecord> {
  const prefix = identityPoolArn(services, '');
  const id = arn.startsWith(prefix) ? arn.slice(prefix.length) : undefined;
  const pool = id === undefined || id === '' ? undefined : await services.store.identityPools.get(id);
  if (pool) return pool;
  throw new ResourceNotFoundException(
    id === undefined || id === '' ? `Resource ${arn} does not exist.` : `IdentityPool '${id}' not found.`,
  );
}

/** Refuses a tag set over the quota (Cognate's text; the limit is documented). */
export function checkIdentityPoolTags(tags: Record<string, string>): Record<string, string> {
  if (Object.keys(tags).length > MAX_IDENTITY_POOL_TAGS) {
    throw new InvalidParameterException(`An identity pool can have at most ${MAX_IDENTITY_POOL_TAGS} tags.`);
  }
  return tags;
}
