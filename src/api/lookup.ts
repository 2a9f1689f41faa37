import { ResourceNotFoundException, UserNotFoundException } from '../generated/cognito-idp/errors.js';
import type { Services } from '../services.js';
import type { UserPoolClientRecord, UserPoolRecord, UserRecord } from '../store/ports.js';
import { resolveUser } from '../auth/resolve-user.js';

/** The pool, or Cognito's ResourceNotFoundException naming it. */
export async function requirePool(services: Services, poolId: string): Promise<UserPoolRecord> {
  const pool = await services.store.pools.get(poolId);
  if (!pool) throw new ResourceNotFoundException(`User pool ${poolId} does not exist.`);
  return pool;
}

/** A client of the pool, or Cognito's ResourceNotFoundException naming it. */
export async function requireClient(services: Services, poolId: string, clientId: string): Promise<UserPoolClientRecord> {
  const client = await services.store.clients.get(poolId, clientId);
  if (!client) throw new ResourceNotFoundException(`User pool client ${clientId} does not exist.`);
  return client;
}

/**
 * The client named by a public operation (SignUp, InitiateAuth, ...) with its pool. Cognito answers
 * an unknown client ID with ResourceNotFoundException "User pool client <id> does not exist.".
 */
export async function requireClientById(
  services: Services,
  clientId: string,
): Promise<{ client: UserPoolClientRecord; pool: UserPoolRecord }> {
  const client = await services.store.clients.getById(clientId);
  const pool = client && (await services.store.pools.get(client.poolId));
  if (!client || !pool) throw new ResourceNotFoundException(`User pool client ${clientId} does not exist.`);
  return { client, pool };
}

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
