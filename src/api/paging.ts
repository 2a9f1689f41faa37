import { InvalidParameterException } from '../generated/cognito-idp/errors.js';

/*
 * Keyset pagination shared by the list operations (ListUserPools, ListUserPoolClients, ListGroups,
 * ListUsersInGroup, AdminListGroupsForUser, ListDevices, ListResourceServers): the NextToken is
 * the opaque key of a page's last row.
 */

/** QueryLimitType allows 0-60; 0 or no limit means the largest page. */
export function pageSize(limit: number | undefined): number {
  return limit === undefined || limit === 0 ? 60 : limit;
}

/** The opaque NextToken of a page that ends at `key` (a group name, a username key, a client ID, ...). */
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
