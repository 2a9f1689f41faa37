import assert from 'node:assert/strict';
import { after } from 'node:test';
import { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { AdminInitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { GetCallerIdentityCommand, STSClient, type GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { Clock } from '../../src/lib/clock.js';
import type { TestServer } from '../support/server.js';
import { PASSWORD } from './auth-fixtures.js';

/** The Cognito Identity clients of a test file, destroyed after it. */
export interface IdentityClients {
  /** Signed with the admin key, for the operations AWS signs. */
  identity: CognitoIdentityClient;
  /** No credentials at all: GetId, GetOpenIdToken and GetCredentialsForIdentity are unsigned on AWS, as apps call them. */
  unsigned: CognitoIdentityClient;
}

/** Both Cognito Identity clients for `server`; call it from `serverForTests`' callback. */
export function identityClients(server: TestServer): IdentityClients {
  const identity = new CognitoIdentityClient({ endpoint: server.url, region: 'us-east-1', credentials: server.adminKey, maxAttempts: 1 });
  const unsigned = new CognitoIdentityClient({
    endpoint: server.url,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: () => Promise.reject(new Error('an unsigned operation asked for credentials')),
  });
  after(() => {
    identity.destroy();
    unsigned.destroy();
  });
  return { identity, unsigned };
}

/** A user's ID and access tokens, signed in with the admin flow and the fixtures' password. */
export async function signInUser(
  server: TestServer,
  userPoolId: string,
  clientId: string,
  username: string,
): Promise<{ id: string; access: string }> {
  const { AuthenticationResult } = await server.admin.send(
    new AdminInitiateAuthCommand({
      UserPoolId: userPoolId,
      ClientId: clientId,
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

/** Temporary credentials as the SDK takes them. */
export interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** GetCallerIdentity signed with temporary credentials, as an app that got them asks STS who it is. */
export async function callerIdentityWith(server: TestServer, credentials: SessionCredentials): Promise<GetCallerIdentityCommandOutput> {
  const sts = new STSClient({ endpoint: server.url, region: 'us-east-1', maxAttempts: 1, credentials });
  try {
    return await sts.send(new GetCallerIdentityCommand({}));
  } finally {
    sts.destroy();
  }
}
