import { ResourceNotFoundException } from '../generated/cognito-idp/errors.js';
import type { Services } from '../services.js';
import type { UserPoolClientRecord, UserPoolRecord } from '../store/ports.js';

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
