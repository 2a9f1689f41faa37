import assert from 'node:assert/strict';
import { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { AdminInitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { Clock } from '../../src/lib/clock.js';
import type { TestServer } from '../support/server.js';
import { PASSWORD } from './auth-fixtures.js';

/** Shared set-up of the identity pool tests: the clients, a user pool sign-in, and a relying party's check of OpenID tokens. */

export interface IdentityClients {
  /** Signed with the admin key, for the operations AWS signs. */
  signed: CognitoIdentityClient;
  /** No credentials at all, as apps call GetId, GetOpenIdToken and GetCredentialsForIdentity. */
  unsigned: CognitoIdentityClient;
}

export function identityClients(server: TestServer): IdentityClients {
  return {
    signed: new CognitoIdentityClient({ endpoint: server.url, region: 'us-east-1', credentials: server.adminKey, maxAttempts: 1 }),
    unsigned: new CognitoIdentityClient({
      endpoint: server.url,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: () => Promise.reject(new Error('an unsigned operation asked for credentials')),
    }),
  };
}

/** A user's ID and access tokens from a password sign-in. */
export async function signInTokens(
  server: TestServer,
  pool: string,
  client: string,
  username: string,
): Promise<{ id: string; access: string }> {
  const { AuthenticationResult } = await server.admin.send(
    new AdminInitiateAuthCommand({
      UserPoolId: pool,
      ClientId: client,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD },
    }),
  );
  return { id: AuthenticationResult!.IdToken!, access: AuthenticationResult!.AccessToken! };
}

/** Verifies an OpenID token as a relying party would: discovery, then the remote key set, with jose. */
export async function verifyOpenIdToken(
  server: TestServer,
  clock: Clock,
  token: string,
  audience: string,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.url}/cognito-identity/.well-known/openid-configuration`);
  assert.equal(response.status, 200);
  const discovery = (await response.json()) as { issuer: string; jwks_uri: string };
  assert.equal(discovery.issuer, `${server.url}/cognito-identity`);
  const { payload, protectedHeader } = await jwtVerify(token, createRemoteJWKSet(new URL(discovery.jwks_uri)), {
    issuer: discovery.issuer,
    audience,
    algorithms: ['RS256'],
    currentDate: new Date(clock.now()),
  });
  assert.equal(typeof protectedHeader.kid, 'string');
  return payload as Record<string, unknown>;
}
