import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateIdentityPoolCommand, SetIdentityPoolRolesCommand } from '@aws-sdk/client-cognito-identity';
import { fromCognitoIdentityPool } from '@aws-sdk/credential-providers';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { serverForTests, type TestServer } from '../support/server.js';
import { createClient, createPool, putUser } from '../api/auth-fixtures.js';
import { identityClients, signInUser, type IdentityClients } from '../api/identity-fixtures.js';

/*
 * The SDK's own identity pool credential provider, `fromCognitoIdentityPool` of
 * @aws-sdk/credential-providers, pointed at Cognate by `clientConfig.endpoint`: it calls GetId and
 * GetCredentialsForIdentity, and STS accepts the credentials it gets.
 */

let server: TestServer;
let clients: IdentityClients;
serverForTests((started) => {
  server = started;
  clients = identityClients(server);
});

const SIGNED_IN = 'arn:aws:iam::000000000000:role/app-signed-in';
const GUEST = 'arn:aws:iam::000000000000:role/app-guest';

/** A user pool with a user, and an identity pool that lists it, allows guests and has both roles. */
async function setUp(): Promise<{ identityPoolId: string; provider: string; idToken: string }> {
  const userPoolId = await createPool(server);
  const { clientId } = await createClient(server, userPoolId);
  await putUser(server, userPoolId, { username: 'carol' });
  const provider = `cognito-idp.us-east-1.amazonaws.com/${userPoolId}`;
  const { IdentityPoolId } = await clients.identity.send(
    new CreateIdentityPoolCommand({
      IdentityPoolName: 'sdk',
      AllowUnauthenticatedIdentities: true,
      CognitoIdentityProviders: [{ ProviderName: provider, ClientId: clientId }],
    }),
  );
  await clients.identity.send(
    new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: { authenticated: SIGNED_IN, unauthenticated: GUEST } }),
  );
  return { identityPoolId: IdentityPoolId!, provider, idToken: (await signInUser(server, userPoolId, clientId, 'carol')).id };
}

async function callerOf(credentials: AwsCredentialIdentityProvider): Promise<string> {
  const sts = new STSClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Arn!;
  } finally {
    sts.destroy();
  }
}

test('fromCognitoIdentityPool with a user pool ID token gives credentials that STS answers as the authenticated role', async () => {
  const { identityPoolId, provider, idToken } = await setUp();
  const credentials = fromCognitoIdentityPool({
    identityPoolId,
    logins: { [provider]: idToken },
    clientConfig: { endpoint: server.url, region: 'us-east-1', maxAttempts: 1 },
  });
  const resolved = await credentials();
  assert.match(resolved.accessKeyId, /^ASIA[A-Z0-9]{16}$/);
  assert.ok(resolved.sessionToken);
  assert.ok(resolved.expiration && resolved.expiration.getTime() > server.services.clock.now());
  assert.match(resolved.identityId, /^us-east-1:/);
  assert.equal(await callerOf(credentials), 'arn:aws:sts::000000000000:assumed-role/app-signed-in/CognitoIdentityCredentials');
});

test('fromCognitoIdentityPool as a guest gives credentials that STS answers as the unauthenticated role', async () => {
  const { identityPoolId } = await setUp();
  const credentials = fromCognitoIdentityPool({
    identityPoolId,
    clientConfig: { endpoint: server.url, region: 'us-east-1', maxAttempts: 1 },
  });
  assert.equal(await callerOf(credentials), 'arn:aws:sts::000000000000:assumed-role/app-guest/CognitoIdentityCredentials');
});
