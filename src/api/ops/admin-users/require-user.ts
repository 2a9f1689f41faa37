import { UserNotFoundException } from '../../../generated/cognito-idp/errors.js';
import type { Services } from '../../../services.js';
import type { UserPoolRecord, UserRecord } from '../../../store/ports.js';
import { resolveUser } from '../../../auth/resolve-user.js';
import { requirePool } from '../../lookup.js';

/** Cognito's text for a `Username` that names nobody (AdminGetUser and every other admin user op). */
export const USER_NOT_FOUND_MESSAGE = 'User does not exist.';

/**
 * The user a `Username` names in the pool — its username, an alias or its `sub`, resolved as
 * Cognito does (src/auth/resolve-user.ts) — or UserNotFoundException `User does not exist.`.
 */
export async function requireUser(services: Services, pool: UserPoolRecord, username: string): Promise<UserRecord> {
  const user = await resolveUser(services, pool, username);
  if (!user) throw new UserNotFoundException(USER_NOT_FOUND_MESSAGE);
  return user;
}

/**
 * The pool and the user an admin operation names: ResourceNotFoundException for an unknown pool
 * first (Cognito checks the pool before the user), then UserNotFoundException.
 */
export async function requirePoolUser(
  services: Services,
  poolId: string,
  username: string,
): Promise<{ pool: UserPoolRecord; user: UserRecord }> {
  const pool = await requirePool(services, poolId);
  return { pool, user: await requireUser(services, pool, username) };
}
