import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { CognitoIdentityClient, CreateIdentityPoolCommand, SetIdentityPoolRolesCommand } from '@aws-sdk/client-cognito-identity';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AwsClient } from 'aws4fetch';
import { startTestServer, type TestServer } from '../support/server.js';
import { AsyncMemoryStorage } from '../support/client-storage.js';
import { configureAmplifyPools } from '../support/amplify.js';
import { notForwarded, upstreamForTests } from '../support/upstream.js';
import { PASSWORD, createClient, createPool, putUser } from '../api/auth-fixtures.js';
import { cognitoTrustPolicy } from '../../src/domain/iam-policy.js';
import { runGateway } from '../../src/tools-cli/gateway.js';

/*
 * An Amplify v6 app calls its backend through the gateway as it would on AWS: signIn, then
 * fetchAuthSession() for the ID token (a COGNITO_USER_POOLS route) and the identity pool's
 * credentials (an AWS_IAM route, signed with aws4fetch). Amplify keeps module state, so this file
 * runs in a process of its own.
 */

const upstream = upstreamForTests();
const storage = new AsyncMemoryStorage();
let server: TestServer;

before(async () => {
  await upstream.ready;
  server = await startTestServer();
  const userPoolId = await createPool(server);
  const { clientId } = await createClient(server, userPoolId);
  await putUser(server, userPoolId, { username: 'erin' });
  const identity = new CognitoIdentityClient({ endpoint: server.url, region: 'us-east-1', credentials: server.adminKey, maxAttempts: 1 });
  const iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: server.adminKey, maxAttempts: 1 });
  try {
    const { IdentityPoolId } = await identity.send(
      new CreateIdentityPoolCommand({
        IdentityPoolName: 'amplify-gateway',
        AllowUnauthenticatedIdentities: false,
        CognitoIdentityProviders: [{ ProviderName: `cognito-idp.us-east-1.amazonaws.com/${userPoolId}`, ClientId: clientId }],
      }),
    );
    const { Role } = await iam.send(
      new CreateRoleCommand({ RoleName: 'notes-user', AssumeRolePolicyDocument: cognitoTrustPolicy(IdentityPoolId!, 'authenticated') }),
    );
    const invoke = {
      Effect: 'Allow',
      Action: 'execute-api:Invoke',
      Resource: 'arn:aws:execute-api:us-east-1:000000000000:notes/prod/*/sync',
    };
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'notes-user',
        PolicyName: 'sync',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [invoke] }),
      }),
    );
    await identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: { authenticated: Role!.Arn! } }));
    const file = join(mkdtempSync(join(tmpdir(), 'cognate-gateway-')), 'notes.json');
    const routes = [
      { method: 'GET', path: '/notes', authorizer: { type: 'COGNITO_USER_POOLS', userPoolIds: [userPoolId] } },
      { method: 'POST', path: '/sync', authorizer: { type: 'AWS_IAM' } },
    ];
    writeFileSync(file, JSON.stringify({ id: 'notes', upstream: upstream.url, stages: ['prod'], routes }));
    await runGateway(['put', file], server.services.config, () => undefined);
    configureAmplifyPools(server.url, { userPoolId, clientId, identityPoolId: IdentityPoolId! });
  } finally {
    identity.destroy();
    iam.destroy();
  }
  cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
});

after(async () => {
  await signOut().catch(() => undefined);
  await server.stop();
});

test('fetchAuthSession gives the ID token for a user pool route and credentials for an IAM route', async () => {
  assert.equal((await signIn({ username: 'erin', password: PASSWORD })).isSignedIn, true);
  const session = await fetchAuthSession();
  const idToken = session.tokens!.idToken!.toString();
  const notes = await fetch(`${server.url}/_api/notes/prod/notes`, { headers: { Authorization: idToken } });
  assert.equal(notes.status, 200);
  const claims = (JSON.parse(upstream.requests.at(-1)!.headers['x-cognate-authorizer'] as string) as { claims: Record<string, unknown> })
    .claims;
  assert.equal(claims['cognito:username'], 'erin');

  const credentials = session.credentials!;
  const aws = new AwsClient({ ...credentials, service: 'execute-api', region: 'us-east-1', retries: 0 });
  const body = JSON.stringify({ notes: [{ id: 1, text: 'hello' }] });
  const synced = await aws.fetch(`${server.url}/_api/notes/prod/sync`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(synced.status, 200);
  const received = upstream.requests.at(-1)!;
  assert.equal(received.body.toString(), body);
  const identity = JSON.parse(received.headers['x-cognate-identity'] as string) as Record<string, unknown>;
  assert.equal(identity['cognitoIdentityId'], session.identityId);
  assert.equal(identity['cognitoAuthenticationType'], 'authenticated');

  // The same credentials on the user pool route, and the ID token on the IAM route, open nothing.
  const crossed = await notForwarded(upstream, async () => [
    (await aws.fetch(`${server.url}/_api/notes/prod/notes`)).status,
    (await fetch(`${server.url}/_api/notes/prod/sync`, { method: 'POST', headers: { Authorization: idToken }, body: '{}' })).status,
  ]);
  assert.deepEqual(crossed, [401, 403]);
});
