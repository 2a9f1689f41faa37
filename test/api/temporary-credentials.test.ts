import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CognitoIdentityClient,
  CreateIdentityPoolCommand,
  DescribeIdentityPoolCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  ListIdentityPoolsCommand,
  SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import { AdminGetUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { serverForTests, captureError, type TestServer } from '../support/server.js';
import { identityClients } from './identity-fixtures.js';

let server: TestServer;
let identity: CognitoIdentityClient;
let unsigned: CognitoIdentityClient;
const clock = serverForTests((started) => {
  server = started;
  ({ identity, unsigned } = identityClients(server));
});

const GUEST = 'arn:aws:iam::123456789012:role/service-role/guest';

/** A guest identity's fresh temporary credentials, of the role GUEST. */
async function guestCredentials(): Promise<AwsCredentialIdentity> {
  const { IdentityPoolId } = await identity.send(
    new CreateIdentityPoolCommand({ IdentityPoolName: 'guests', AllowUnauthenticatedIdentities: true }),
  );
  await identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: { unauthenticated: GUEST } }));
  const { IdentityId } = await unsigned.send(new GetIdCommand({ IdentityPoolId }));
  const { Credentials } = await unsigned.send(new GetCredentialsForIdentityCommand({ IdentityId }));
  return { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretKey!, sessionToken: Credentials!.SessionToken! };
}

/** Runs `fn` with an STS client signing with `credentials`, `offsetMs` ahead of the real clock (as the server's frozen one may be). */
async function withSts<T>(credentials: AwsCredentialIdentity, fn: (sts: STSClient) => Promise<T>, offsetMs = 0): Promise<T> {
  const sts = new STSClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1, systemClockOffset: offsetMs });
  try {
    return await fn(sts);
  } finally {
    sts.destroy();
  }
}

test('GetCallerIdentity signed with the credentials of GetCredentialsForIdentity answers the assumed role', async () => {
  const credentials = await guestCredentials();
  const { $metadata: _m, ...caller } = await withSts(credentials, (sts) => sts.send(new GetCallerIdentityCommand({})));
  assert.equal(caller.Arn, 'arn:aws:sts::123456789012:assumed-role/guest/CognitoIdentityCredentials');
  assert.equal(caller.Account, '123456789012');
  assert.match(caller.UserId!, /^AROA[A-Z0-9]{17}:CognitoIdentityCredentials$/);
  // The role's ID is the same for every session of the role.
  const again = await withSts(await guestCredentials(), (sts) => sts.send(new GetCallerIdentityCommand({})));
  assert.equal(again.UserId, caller.UserId);
});

test('a wrong secret, a wrong or missing session token and a revoked session are refused in STS terms', async () => {
  const credentials = await guestCredentials();
  const wrongSecret = await captureError(() =>
    withSts({ ...credentials, secretAccessKey: `x${credentials.secretAccessKey.slice(1)}` }, (sts) =>
      sts.send(new GetCallerIdentityCommand({})),
    ),
  );
  assert.deepEqual([wrongSecret.name, wrongSecret.$metadata?.httpStatusCode], ['SignatureDoesNotMatch', 403]);
  const wrongToken = await captureError(() =>
    withSts({ ...credentials, sessionToken: `${credentials.sessionToken!.slice(0, -4)}AAAA` }, (sts) =>
      sts.send(new GetCallerIdentityCommand({})),
    ),
  );
  assert.deepEqual(
    [wrongToken.name, wrongToken.message, wrongToken.$metadata?.httpStatusCode],
    ['InvalidClientTokenId', 'The security token included in the request is invalid.', 403],
  );
  const { sessionToken: _dropped, ...noToken } = credentials;
  const missing = await captureError(() => withSts(noToken, (sts) => sts.send(new GetCallerIdentityCommand({}))));
  assert.equal(missing.name, 'InvalidClientTokenId');

  assert.equal(await server.services.store.stsSessions.revoke(credentials.accessKeyId), true);
  const revoked = await captureError(() => withSts(credentials, (sts) => sts.send(new GetCallerIdentityCommand({}))));
  assert.equal(revoked.name, 'InvalidClientTokenId');
});

test('credentials past their hour are ExpiredToken in STS and ExpiredTokenException in the JSON services', async () => {
  const credentials = await guestCredentials();
  const hour = 3600_000;
  await clock.travel(hour, async () => {
    const expired = await captureError(() => withSts(credentials, (sts) => sts.send(new GetCallerIdentityCommand({})), hour));
    assert.deepEqual(
      [expired.name, expired.message, expired.$metadata?.httpStatusCode],
      ['ExpiredToken', 'The security token included in the request is expired', 403],
    );
    const client = new CognitoIdentityClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
      systemClockOffset: hour,
    });
    try {
      const json = await captureError(() => client.send(new ListIdentityPoolsCommand({ MaxResults: 1 })));
      assert.deepEqual([json.name, json.$metadata?.httpStatusCode], ['ExpiredTokenException', 400]);
    } finally {
      client.destroy();
    }
  });
  // A second before the hour ends they still work.
  await clock.travel(hour - 1000, async () => {
    const caller = await withSts(credentials, (sts) => sts.send(new GetCallerIdentityCommand({})), hour - 1000);
    assert.match(caller.Arn!, /assumed-role\/guest\//);
  });
});

test('temporary credentials are not admin keys: the admin operations refuse them as IAM refuses a role with no policy', async () => {
  const credentials = await guestCredentials();
  const user = 'arn:aws:sts::123456789012:assumed-role/guest/CognitoIdentityCredentials';
  const pools = new CognitoIdentityClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const users = new CognitoIdentityProviderClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  try {
    const list = await captureError(() => pools.send(new ListIdentityPoolsCommand({ MaxResults: 1 })));
    assert.deepEqual(
      [list.name, list.message, list.$metadata?.httpStatusCode],
      [
        'AccessDeniedException',
        `User: ${user} is not authorized to perform: cognito-identity:ListIdentityPools on resource: * ` +
          'because no identity-based policy allows the cognito-identity:ListIdentityPools action',
        400,
      ],
    );
    const poolId = 'us-east-1:00000000-0000-4000-8000-000000000000';
    const describe = await captureError(() => pools.send(new DescribeIdentityPoolCommand({ IdentityPoolId: poolId })));
    assert.equal(describe.name, 'AccessDeniedException');
    assert.match(describe.message, new RegExp(`on resource: arn:aws:cognito-identity:us-east-1:000000000000:identitypool/${poolId} `));
    const getUser = await captureError(() => users.send(new AdminGetUserCommand({ UserPoolId: 'us-east-1_AbCdEf123', Username: 'alice' })));
    assert.equal(getUser.name, 'AccessDeniedException');
    assert.match(
      getUser.message,
      /cognito-idp:AdminGetUser on resource: arn:aws:cognito-idp:us-east-1:000000000000:userpool\/us-east-1_AbCdEf123 because/,
    );
  } finally {
    pools.destroy();
    users.destroy();
  }
});

test('a JSON service call with a wrong session token is UnrecognizedClientException', async () => {
  const credentials = await guestCredentials();
  const client = new CognitoIdentityClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { ...credentials, sessionToken: 'not-the-token' },
    maxAttempts: 1,
  });
  try {
    const error = await captureError(() => client.send(new ListIdentityPoolsCommand({ MaxResults: 1 })));
    assert.deepEqual(
      [error.name, error.message],
      ['UnrecognizedClientException', 'The security token included in the request is invalid.'],
    );
  } finally {
    client.destroy();
  }
});
