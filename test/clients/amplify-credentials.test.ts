import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { CognitoIdentityClient, CreateIdentityPoolCommand, SetIdentityPoolRolesCommand } from '@aws-sdk/client-cognito-identity';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { startTestServer, type TestServer } from '../support/server.js';
import { AsyncMemoryStorage } from '../support/client-storage.js';
import { configureAmplifyPools } from '../support/amplify.js';
import { PASSWORD, createClient, createPool, putUser } from '../api/auth-fixtures.js';

/*
 * Amplify JS v6's fetchAuthSession() with an identity pool, as an app configured with a user pool
 * and an identity pool calls it on every start: the endpoints are the only change
 * (`userPoolEndpoint`, `identityPoolEndpoint`). Amplify keeps module state, so this file runs in a
 * process of its own, and each test starts signed out.
 */

const SIGNED_IN = 'arn:aws:iam::000000000000:role/amplify-auth';
const GUEST = 'arn:aws:iam::000000000000:role/amplify-unauth';

const storage = new AsyncMemoryStorage();
let server: TestServer;

before(async () => {
  server = await startTestServer();
  const userPoolId = await createPool(server);
  const { clientId } = await createClient(server, userPoolId);
  await putUser(server, userPoolId, { username: 'dana' });
  const identity = new CognitoIdentityClient({ endpoint: server.url, region: 'us-east-1', credentials: server.adminKey, maxAttempts: 1 });
  try {
    const { IdentityPoolId } = await identity.send(
      new CreateIdentityPoolCommand({
        IdentityPoolName: 'amplify',
        AllowUnauthenticatedIdentities: true,
        CognitoIdentityProviders: [{ ProviderName: `cognito-idp.us-east-1.amazonaws.com/${userPoolId}`, ClientId: clientId }],
      }),
    );
    await identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: { authenticated: SIGNED_IN, unauthenticated: GUEST } }));
    configureAmplifyPools(server.url, { userPoolId, clientId, identityPoolId: IdentityPoolId!, allowGuestAccess: true });
  } finally {
    identity.destroy();
  }
  cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
});

after(() => server.stop());

beforeEach(async () => {
  await signOut().catch(() => undefined);
  await storage.clear();
});

/** The ARN STS answers for credentials Amplify fetched. */
async function callerOf(credentials: AwsCredentialIdentity): Promise<string> {
  const sts = new STSClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Arn!;
  } finally {
    sts.destroy();
  }
}

test('fetchAuthSession signed in gives an identity ID and credentials of the authenticated role', async () => {
  const result = await signIn({ username: 'dana', password: PASSWORD });
  assert.equal(result.isSignedIn, true);
  const session = await fetchAuthSession();
  assert.ok(session.tokens?.idToken, 'the ID token');
  assert.match(session.identityId ?? '', /^us-east-1:[0-9a-f-]{36}$/);
  assert.ok(session.credentials, 'credentials');
  assert.match(session.credentials.accessKeyId, /^ASIA[A-Z0-9]{16}$/);
  assert.equal(await callerOf(session.credentials), 'arn:aws:sts::000000000000:assumed-role/amplify-auth/CognitoIdentityCredentials');
  // The same identity on the next start of the app.
  const again = await fetchAuthSession({ forceRefresh: true });
  assert.equal(again.identityId, session.identityId);
});

test('fetchAuthSession signed out gives a guest identity ID and credentials of the unauthenticated role', async () => {
  const session = await fetchAuthSession();
  assert.equal(session.tokens, undefined);
  assert.match(session.identityId ?? '', /^us-east-1:[0-9a-f-]{36}$/);
  assert.ok(session.credentials, 'credentials');
  assert.equal(await callerOf(session.credentials), 'arn:aws:sts::000000000000:assumed-role/amplify-unauth/CognitoIdentityCredentials');
});
