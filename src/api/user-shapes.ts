import type { AttributeType, UserType } from '../generated/cognito-idp/shapes.js';
import type { UserRecord } from '../store/ports.js';
import { epochSeconds } from '../lib/clock.js';

/** Attributes in Cognito's list form, optionally limited to some names. */
export function attributeList(user: UserRecord, only?: readonly string[]): AttributeType[] {
  const names = Object.keys(user.attributes).filter((name) => !only || only.includes(name));
  return names.map((name) => ({ Name: name, Value: user.attributes[name]! }));
}

/**
 * The UserType of ListUsers, ListUsersInGroup and AdminCreateUser: note `Attributes`, where
 * AdminGetUser and GetUser say `UserAttributes`.
 */
export function toUserType(user: UserRecord, only?: readonly string[]): UserType {
  return {
    Username: user.username,
    Attributes: attributeList(user, only),
    UserCreateDate: epochSeconds(user.createdAt),
    UserLastModifiedDate: epochSeconds(user.updatedAt),
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}
