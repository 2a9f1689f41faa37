import { InvalidParameterException, ResourceNotFoundException } from '../../../generated/cognito-idp/errors.js';
import type { Services } from '../../../services.js';
import type { UserPoolRecord } from '../../../store/ports.js';
import { poolIdFromArn } from './pool-shape.js';

/** Most tags a user pool can carry (TagResource documentation). */
export const MAX_POOL_TAGS = 50;

/**
 * The pool a tagging operation's ResourceArn names. Only user pools can be tagged; any other ARN,
 * or the ARN of a pool that does not exist here, is ResourceNotFoundException. The texts are best
 * guesses: the pool case reuses the wording of every other unknown-pool error.
 */
export async function requireTaggablePool(services: Services, arn: string): Promise<UserPoolRecord> {
  const poolId = poolIdFromArn(services, arn);
  const pool = poolId === undefined ? undefined : await services.store.pools.get(poolId);
  if (pool) return pool;
  throw new ResourceNotFoundException(poolId === undefined ? `Resource ${arn} does not exist.` : `User pool ${poolId} does not exist.`);
}

/** Refuses a tag set over the quota (best-guess text; the limit is documented). */
export function checkTagCount(tags: Record<string, string>): void {
  if (Object.keys(tags).length > MAX_POOL_TAGS) {
    throw new InvalidParameterException(`A user pool can have at most ${MAX_POOL_TAGS} tags.`);
  }
}
