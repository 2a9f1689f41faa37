import { InvalidParameterException, ResourceNotFoundException, UserNotFoundException } from '../../../generated/cognito-idp/errors.js';
import type { GroupType } from '../../../generated/cognito-idp/shapes.js';
import type { Services } from '../../../services.js';
import type { GroupRecord, UserPoolRecord, UserRecord } from '../../../store/ports.js';
import { epochSeconds } from '../../../lib/clock.js';
import { resolveUser } from '../../../auth/resolve-user.js';

/** The GroupType of every group operation; unset optional members are left out, as Cognito does. */
export function toGroupType(group: GroupRecord): GroupType {
  const shape: GroupType = { GroupName: group.name, UserPoolId: group.poolId };
  if (group.description !== null) shape.Description = group.description;
  if (group.roleArn !== null) shape.RoleArn = group.roleArn;
  if (group.precedence !== null) shape.Precedence = group.precedence;
  shape.LastModifiedDate = epochSeconds(group.updatedAt);
  shape.CreationDate = epochSeconds(group.createdAt);
  return shape;
}

/**
 * The group, or Cognito's ResourceNotFoundException "Group not found." (text seen in real
 * AdminAddUserToGroup responses, e.g. https://github.com/aws-amplify/amplify-cli/issues/2214).
 */
export async function requireGroup(services: Services, poolId: string, name: string): Promise<GroupRecord> {
  const group = await services.store.groups.get(poolId, name);
  if (!group) throw new ResourceNotFoundException('Group not found.');
  return group;
}

/** The user an admin `Username` names (username, alias or sub), or UserNotFoundException. */
export async function requireUser(services: Services, pool: UserPoolRecord, username: string): Promise<UserRecord> {
  const user = await resolveUser(services, pool, username);
  if (!user) throw new UserNotFoundException('User does not exist.');
  return user;
}

/** QueryLimitType allows 0-60; 0 or no limit means the largest page. */
export function pageSize(limit: number | undefined): number {
  return limit === undefined || limit === 0 ? 60 : limit;
}

/** The opaque NextToken of a page that ends at `key` (a group name or a username key). */
export function encodePageToken(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

/**
 * The key a NextToken carries. A token this server did not issue is refused the way Cognito
 * refuses a foreign paging marker.
 */
export function decodePageToken(token: string | undefined, requestId: string): string | undefined {
  if (token === undefined) return undefined;
  const key = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, 'base64url').toString('utf8') : '';
  // Re-encoding must give the token back: this rejects stray padding, bits and broken UTF-8.
  if (key === '' || encodePageToken(key) !== token) {
    throw new InvalidParameterException(`Paging marker ${token} is invalid for request ${requestId}`);
  }
  return key;
}

/**
 * One page from a keyset query fetched with one extra row: the rows to return and the token of
 * the next page, absent on the last one.
 */
export function slicePage<T>(rows: T[], size: number, keyOf: (row: T) => string): { items: T[]; next?: string } {
  if (rows.length <= size) return { items: rows };
  const items = rows.slice(0, size);
  return { items, next: encodePageToken(keyOf(items[items.length - 1]!)) };
}
