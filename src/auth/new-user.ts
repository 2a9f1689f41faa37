import type { UserStatusType } from '../generated/cognito-idp/shapes.js';
import type { UserPoolRecord, UserRecord } from '../store/ports.js';
import { usernameKey } from './resolve-user.js';

export interface NewUserFields {
  username: string;
  sub: string;
  status: UserStatusType;
  /** Attributes besides `sub`, which is added here. */
  attributes: Record<string, string>;
  now: number;
  enabled?: boolean;
}

/**
 * A user record as every creation path starts it (SignUp, AdminCreateUser, federation and import
 * later): no password yet (see withNewPassword), `sub` among the attributes, never signed out.
 */
export function newUserRecord(pool: UserPoolRecord, fields: NewUserFields): UserRecord {
  return {
    poolId: pool.id,
    username: fields.username,
    usernameKey: usernameKey(pool, fields.username),
    sub: fields.sub,
    status: fields.status,
    enabled: fields.enabled ?? true,
    attributes: { sub: fields.sub, ...fields.attributes },
    passwordHash: null,
    passwordChangedAt: null,
    tokensValidAfter: 0,
    extra: {},
    createdAt: fields.now,
    updatedAt: fields.now,
  };
}
