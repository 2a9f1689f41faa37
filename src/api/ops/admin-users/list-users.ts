import { defineOperation } from '../../define-operation.js';
import { InvalidParameterException } from '../../../generated/cognito-idp/errors.js';
import type { UserFilter, UserPoolRecord, UserRecord } from '../../../store/ports.js';
import { parseListUsersFilter } from '../../../domain/list-users-filter.js';
import { InvalidCursorError } from '../../../store/sql/users.js';
import { sha256Hex } from '../../../crypto/compare.js';
import { requirePool } from '../../lookup.js';
import { toUserType } from '../../user-shapes.js';

/** ListUsers pages hold at most 60 users (QueryLimitType); an absent or zero Limit means a full page. */
export const LIST_USERS_MAX_LIMIT = 60;

/** The attributes ListUsers can filter on; AttributesToGet may name them even where a user lacks them. */
const SEARCHABLE_ATTRIBUTES: ReadonlySet<string> = new Set([
  'email',
  'phone_number',
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'sub',
]);

/** Cognito's text when AttributesToGet names an attribute it can't return. */
const NO_SUCH_ATTRIBUTES = 'One or more requested attributes do not exist.';

/**
 * Ties a pagination token to the filter it was issued for, so a token replayed with another Filter
 * is refused instead of silently starting at the wrong place.
 */
function filterFingerprint(filter: UserFilter | undefined): string {
  return sha256Hex(JSON.stringify(filter ?? null)).slice(0, 16);
}

function encodeToken(cursor: string, filter: UserFilter | undefined): string {
  return `${cursor}.${filterFingerprint(filter)}`;
}

function decodeToken(token: string, filter: UserFilter | undefined): string | undefined {
  const dot = token.lastIndexOf('.');
  if (dot <= 0 || token.slice(dot + 1) !== filterFingerprint(filter)) return undefined;
  return token.slice(0, dot);
}

/**
 * AttributesToGet may only name attributes of the pool's schema; and, as the ListUsers reference
 * says, an attribute that can't be searched must have a value on every user returned. Cognito
 * answers both with InvalidParameterException `One or more requested attributes do not exist.`
 * (https://github.com/aws/aws-sdk-js/issues/2570, https://github.com/aws/aws-sdk-js/issues/3091).
 */
function checkRequestedAttributes(pool: UserPoolRecord, names: readonly string[]): void {
  const schema = new Set((pool.config.SchemaAttributes ?? []).map((a) => a.Name));
  if (names.some((name) => !schema.has(name))) throw new InvalidParameterException(NO_SUCH_ATTRIBUTES);
}

function checkReturnedUsersHaveAttributes(users: readonly UserRecord[], names: readonly string[]): void {
  const unsearchable = names.filter((name) => !SEARCHABLE_ATTRIBUTES.has(name));
  if (users.some((user) => unsearchable.some((name) => user.attributes[name] === undefined))) {
    throw new InvalidParameterException(NO_SUCH_ATTRIBUTES);
  }
}

/**
 * ListUsers: a page of the pool's users (UserType with `Attributes`), optionally filtered on one
 * searchable attribute with `=` or `^=`, sorted by the filtered attribute then username, with a
 * PaginationToken while more remain. In pools with case-insensitive usernames the `username`
 * filter is case-insensitive too.
 *
 * A token that is malformed, or was issued for another filter, is InvalidParameterException with
 * Cognito's `Paging marker <token> is invalid for request <request id>` text
 * (https://github.com/aws/aws-sdk-js/issues/3705).
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUsers.html
 */
export const listUsers = defineOperation('ListUsers', async (input, { services, requestId }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const filter = parseListUsersFilter(input.Filter, {
    usernameCaseSensitive: pool.config.UsernameConfiguration?.CaseSensitive !== false,
  });
  const only = input.AttributesToGet;
  if (only) checkRequestedAttributes(pool, only);
  const limit = input.Limit === undefined || input.Limit === 0 ? LIST_USERS_MAX_LIMIT : input.Limit;

  const invalidToken = (): InvalidParameterException =>
    new InvalidParameterException(`Paging marker ${input.PaginationToken ?? ''} is invalid for request ${requestId}`);
  let cursor: string | undefined;
  if (input.PaginationToken !== undefined) {
    cursor = decodeToken(input.PaginationToken, filter);
    if (cursor === undefined) throw invalidToken();
  }
  let page;
  try {
    page = await services.store.users.list(pool.id, filter, limit, cursor);
  } catch (error) {
    if (error instanceof InvalidCursorError) throw invalidToken();
    throw error;
  }
  if (only) checkReturnedUsersHaveAttributes(page.users, only);
  return {
    Users: page.users.map((user) => toUserType(user, only)),
    ...(page.next === undefined ? {} : { PaginationToken: encodeToken(page.next, filter) }),
  };
});
