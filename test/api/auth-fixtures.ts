import { createHmac, randomUUID } from 'node:crypto';
import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../support/server.js';
import type { UserRecord } from '../../src/store/ports.js';
import type { UserStatusType } from '../../src/generated/cognito-idp/shapes.js';
import { withNewPassword } from '../../src/auth/passwords.js';
import { usernameKey } from '../../src/auth/resolve-user.js';
import { newUserRecord } from '../../src/auth/new-user.js';

/** Shared set-up of the sign-in tests: pools, clients and users written straight to the store. */

export const PASSWORD = 'Correct-Horse-9';

export async function createPool(server: TestServer, input: Partial<CreateUserPoolCommandInput> = {}): Promise<string> {
  const created = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'auth', ...input }));
  return created.UserPool!.Id!;
}

export interface TestClient {
  clientId: string;
  clientSecret: string | undefined;
}

export async function createClient(
  server: TestServer,
  poolId: string,
  input: Partial<CreateUserPoolClientCommandInput> = {},
): Promise<TestClient> {
  const created = await server.admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'app',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH'],
      ...input,
    }),
  );
  return { clientId: created.UserPoolClient!.ClientId!, clientSecret: created.UserPoolClient!.ClientSecret };
}

export interface UserSpec {
  username: string;
  password?: string;
  status?: UserStatusType;
  enabled?: boolean;
  attributes?: Record<string, string>;
  /** Shifts when the password was set, e.g. to age a temporary password. */
  passwordSetAt?: number;
}

/** Writes a user with a password (argon2id and SRP verifier, as every password path does). */
export async function putUser(server: TestServer, poolId: string, spec: UserSpec): Promise<UserRecord> {
  const { services } = server;
  const pool = (await services.store.pools.get(poolId))!;
  const sub = randomUUID();
  const now = services.clock.now();
  const draft = newUserRecord(pool, {
    username: spec.username,
    sub,
    status: spec.status ?? 'CONFIRMED',
    enabled: spec.enabled ?? true,
    attributes: spec.attributes ?? {},
    now,
  });
  const user = await withNewPassword(services, pool, draft, spec.password ?? PASSWORD);
  const stored = spec.passwordSetAt === undefined ? user : { ...user, passwordChangedAt: spec.passwordSetAt };
  if (!(await services.store.users.insert(stored))) throw new Error(`user ${spec.username} exists`);
  return stored;
}

export async function getUser(server: TestServer, poolId: string, username: string): Promise<UserRecord> {
  const pool = (await server.services.store.pools.get(poolId))!;
  return (await server.services.store.users.get(poolId, usernameKey(pool, username)))!;
}

export function secretHash(secret: string, username: string, clientId: string): string {
  return createHmac('sha256', secret)
    .update(username + clientId)
    .digest('base64');
}

/** The payload of a JWT, unverified (the token tests verify signatures). */
export function decodePayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

export function decodeHeader(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}
