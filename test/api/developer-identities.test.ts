import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CognitoIdentityClient,
  CreateIdentityPoolCommand,
  DescribeIdentityCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  GetOpenIdTokenCommand,
  GetOpenIdTokenForDeveloperIdentityCommand,
  LookupDeveloperIdentityCommand,
  MergeDeveloperIdentitiesCommand,
  SetIdentityPoolRolesCommand,
  UnlinkDeveloperIdentityCommand,
  type GetOpenIdTokenForDeveloperIdentityCommandInput,
} from '@aws-sdk/client-cognito-identity';
import { fromCognitoIdentity } from '@aws-sdk/credential-providers';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { serverForTests, captureError, type TestServer } from '../support/server.js';
import { createClient, createPool, putUser } from './auth-fixtures.js';
import { identityClients, signInUser, verifyOpenIdToken } from './identity-fixtures.js';

let server: TestServer;
/** Signed with the admin key: the developer operations are SigV4, called by the app's backend. */
let identity: CognitoIdentityClient;
/** No credentials, as an app calls GetId and GetOpenIdToken. */
let unsigned: CognitoIdentityClient;
const clock = serverForTests((started) => {
  server = started;
  ({ identity, unsigned } = identityClients(server));
});

const DEVELOPER = 'login.example.app';
/** Cognito Identity's own provider name, under which the developer's OpenID token is a login. */
const COGNITO_IDENTITY = 'cognito-identity.amazonaws.com';
let userPoolId: string;
let clientId: string;
let provider: string;
/** An identity pool with the developer provider and the user pool; one without a developer provider. */
let pool: string;
let plainPool: string;

let ready: Promise<void> | undefined;
function fixtures(): Promise<void> {
  return (ready ??= setUp());
}

async function setUp(): Promise<void> {
  userPoolId = await createPool(server);
  clientId = (await createClient(server, userPoolId)).clientId;
  provider = `cognito-idp.us-east-1.amazonaws.com/${userPoolId}`;
  await putUser(server, userPoolId, { username: 'carol' });
  await putUser(server, userPoolId, { username: 'erin' });
  const create = async (name: string, developer: boolean): Promise<string> =>
    (
      await identity.send(
        new CreateIdentityPoolCommand({
          IdentityPoolName: name,
          AllowUnauthenticatedIdentities: true,
          CognitoIdentityProviders: [{ ProviderName: provider, ClientId: clientId }],
          ...(developer ? { DeveloperProviderName: DEVELOPER } : {}),
        }),
      )
    ).IdentityPoolId!;
  pool = await create('developer', true);
  plainPool = await create('plain', false);
}

async function idToken(username: string): Promise<string> {
  return (await signInUser(server, userPoolId, clientId, username)).id;
}

async function developerToken(
  input: Partial<GetOpenIdTokenForDeveloperIdentityCommandInput> & { user?: string },
): Promise<{ id: string; token: string }> {
  const { user, ...rest } = input;
  const answer = await identity.send(
    new GetOpenIdTokenForDeveloperIdentityCommand({
      IdentityPoolId: pool,
      Logins: user === undefined ? {} : { [DEVELOPER]: user },
      ...rest,
    }),
  );
  assert.match(answer.IdentityId!, /^us-east-1:[0-9a-f-]{36}$/);
  return { id: answer.IdentityId!, token: answer.Token! };
}

async function refused(call: () => Promise<unknown>): Promise<{ name: string; message: string }> {
  const error = await captureError(call);
  assert.equal(error.$metadata?.httpStatusCode, 400);
  return { name: error.name, message: error.message };
}

function verified(token: string): Promise<Record<string, unknown>> {
  return verifyOpenIdToken(server, clock, token, pool);
}

test('GetOpenIdTokenForDeveloperIdentity creates one identity per developer user and signs a token for it', async () => {
  await fixtures();
  const first = await developerToken({ user: 'user-1' });
  const again = await developerToken({ user: 'user-1' });
  const other = await developerToken({ user: 'user-2' });
  assert.equal(again.id, first.id);
  assert.notEqual(other.id, first.id);
  const claims = await verified(first.token);
  assert.equal(claims['sub'], first.id);
  assert.deepEqual(claims['amr'], ['authenticated', DEVELOPER, `${DEVELOPER}:${pool}:user-1`]);
  assert.equal((claims['exp'] as number) - (claims['iat'] as number), 900, 'fifteen minutes unless TokenDuration says otherwise');
  assert.equal(claims['https://aws.amazon.com/tags'], undefined);
  const described = await identity.send(new DescribeIdentityCommand({ IdentityId: first.id }));
  assert.deepEqual(described.Logins, [DEVELOPER]);
});

test('GetOpenIdTokenForDeveloperIdentity honours TokenDuration up to 24 hours and carries principal tags', async () => {
  await fixtures();
  const { token } = await developerToken({ user: 'tagged', TokenDuration: 86400, PrincipalTags: { team: 'blue', tier: 'gold' } });
  const claims = await verified(token);
  assert.equal((claims['exp'] as number) - (claims['iat'] as number), 86400);
  assert.deepEqual(claims['https://aws.amazon.com/tags'], { principal_tags: { team: ['blue'], tier: ['gold'] } });
  // An empty map (the model allows 0 to 50 tags) is no tags: the token carries no tags claim.
  // Half a second into a second, iat is that second, not the next one (no token is from the future).
  const untagged = await clock.travel(500, async () => {
    const claims = await verified((await developerToken({ user: 'tagged', PrincipalTags: {} })).token);
    assert.equal(claims['iat'], Math.floor(clock.now() / 1000));
    return claims;
  });
  assert.equal(untagged['https://aws.amazon.com/tags'], undefined);
  const tooLong = await refused(() =>
    identity.send(
      new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: pool, Logins: { [DEVELOPER]: 'x' }, TokenDuration: 86401 }),
    ),
  );
  assert.equal(tooLong.name, 'InvalidParameterException');
  assert.match(tooLong.message, /'tokenDuration' failed to satisfy constraint: Member must have value less than or equal to 86400/);
});

test('GetOpenIdTokenForDeveloperIdentity is SigV4 only: an unsigned call is MissingAuthenticationTokenException', async () => {
  await fixtures();
  const response = await fetch(server.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSCognitoIdentityService.GetOpenIdTokenForDeveloperIdentity',
    },
    body: JSON.stringify({ IdentityPoolId: pool, Logins: { [DEVELOPER]: 'user-1' } }),
  });
  assert.equal(response.status, 400);
  assert.equal(((await response.json()) as { __type: string }).__type, 'MissingAuthenticationTokenException');
});

test('GetOpenIdTokenForDeveloperIdentity refuses a developer provider the pool does not have', async () => {
  await fixtures();
  const unsupported = { name: 'NotAuthorizedException', message: 'This identity pool does not support the specified developer provider' };
  assert.deepEqual(
    await refused(() =>
      identity.send(new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: pool, Logins: { 'login.other.app': 'u' } })),
    ),
    unsupported,
  );
  assert.deepEqual(
    await refused(() =>
      identity.send(new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: plainPool, Logins: { [DEVELOPER]: 'u' } })),
    ),
    unsupported,
  );
  // And GetId, which apps call unsigned, never takes a developer login: only the backend vouches for one.
  assert.deepEqual(await refused(() => unsigned.send(new GetIdCommand({ IdentityPoolId: pool, Logins: { [DEVELOPER]: 'user-1' } }))), {
    name: 'NotAuthorizedException',
    message: 'Token is not from a supported provider of this identity pool.',
  });
});

test('GetOpenIdTokenForDeveloperIdentity links a user pool login and an existing identity', async () => {
  await fixtures();
  // A developer user and a user pool login in one call are one identity, found later by either.
  const carolToken = await idToken('carol');
  const both = await developerToken({ Logins: { [DEVELOPER]: 'carol-dev', [provider]: carolToken } });
  const { IdentityId: byToken } = await unsigned.send(
    new GetIdCommand({ IdentityPoolId: pool, Logins: { [provider]: await idToken('carol') } }),
  );
  assert.equal(byToken, both.id);
  const claims = await verified(both.token);
  assert.equal((claims['amr'] as string[]).length, 5);
  assert.ok((claims['amr'] as string[]).includes(provider));

  // A guest identity becomes the developer user's, keeping its ID.
  const { IdentityId: guest } = await unsigned.send(new GetIdCommand({ IdentityPoolId: pool }));
  const linked = await developerToken({ user: 'was-a-guest', IdentityId: guest });
  assert.equal(linked.id, guest);
  assert.equal((await developerToken({ user: 'was-a-guest' })).id, guest);
  // A second developer user of the same identity is linked when the call proves one it has.
  await developerToken({ Logins: { [DEVELOPER]: 'was-a-guest' }, IdentityId: guest });

  // An identity with logins must be presented one of them.
  assert.deepEqual(await refused(() => developerToken({ user: 'stranger', IdentityId: both.id })), {
    name: 'NotAuthorizedException',
    message: "Logins don't match. Please include at least one valid login for this identity or identity pool.",
  });
  // A developer user of another identity cannot be moved by naming an identity.
  assert.deepEqual(await refused(() => developerToken({ user: 'carol-dev', IdentityId: guest })), {
    name: 'DeveloperUserAlreadyRegisteredException',
    message: 'The provided developer user identifier is already registered with Cognito under a different identity ID.',
  });
  const elsewhere = (await unsigned.send(new GetIdCommand({ IdentityPoolId: plainPool }))).IdentityId!;
  assert.equal((await refused(() => developerToken({ user: 'x', IdentityId: elsewhere }))).name, 'ResourceNotFoundException');
});

test('LookupDeveloperIdentity finds an identity by developer user, and the users of an identity page by page', async () => {
  await fixtures();
  const { id } = await developerToken({ user: 'look-a' });
  for (const user of ['look-b', 'look-c']) {
    const other = await developerToken({ user });
    await identity.send(
      new MergeDeveloperIdentitiesCommand({
        IdentityPoolId: pool,
        DeveloperProviderName: DEVELOPER,
        SourceUserIdentifier: user,
        DestinationUserIdentifier: 'look-a',
      }),
    );
    assert.notEqual(other.id, id);
  }
  const byUser = await identity.send(new LookupDeveloperIdentityCommand({ IdentityPoolId: pool, DeveloperUserIdentifier: 'look-b' }));
  assert.equal(byUser.IdentityId, id);
  assert.deepEqual(byUser.DeveloperUserIdentifierList, ['look-a', 'look-b', 'look-c']);
  assert.equal(byUser.NextToken, undefined);

  const first = await identity.send(new LookupDeveloperIdentityCommand({ IdentityPoolId: pool, IdentityId: id, MaxResults: 2 }));
  assert.deepEqual(first.DeveloperUserIdentifierList, ['look-a', 'look-b']);
  assert.ok(first.NextToken);
  const second = await identity.send(
    new LookupDeveloperIdentityCommand({ IdentityPoolId: pool, IdentityId: id, MaxResults: 2, NextToken: first.NextToken }),
  );
  assert.deepEqual(second.DeveloperUserIdentifierList, ['look-c']);
  assert.equal(second.NextToken, undefined);

  const both = await identity.send(
    new LookupDeveloperIdentityCommand({ IdentityPoolId: pool, IdentityId: id, DeveloperUserIdentifier: 'look-c' }),
  );
  assert.equal(both.IdentityId, id);
  const other = await developerToken({ user: 'look-other' });
  assert.equal(
    (
      await refused(() =>
        identity.send(
          new LookupDeveloperIdentityCommand({ IdentityPoolId: pool, IdentityId: other.id, DeveloperUserIdentifier: 'look-a' }),
        ),
      )
    ).name,
    'ResourceConflictException',
  );
  assert.equal(
    (await refused(() => identity.send(new LookupDeveloperIdentityCommand({ IdentityPoolId: pool })))).name,
    'InvalidParameterException',
  );
  assert.equal(
    (await refused(() => identity.send(new LookupDeveloperIdentityCommand({ IdentityPoolId: pool, DeveloperUserIdentifier: 'nobody' }))))
      .name,
    'ResourceNotFoundException',
  );
  assert.equal(
    (
      await refused(() =>
        identity.send(new LookupDeveloperIdentityCommand({ IdentityPoolId: pool, IdentityId: id, NextToken: 'not a token' })),
      )
    ).name,
    'InvalidParameterException',
  );
});

test('MergeDeveloperIdentities moves the source identity and its logins into the destination', async () => {
  await fixtures();
  const erinToken = await idToken('erin');
  const source = await developerToken({ Logins: { [DEVELOPER]: 'merge-src', [provider]: erinToken } });
  const destination = await developerToken({ user: 'merge-dst' });
  clock.advance(1000);
  const merged = await identity.send(
    new MergeDeveloperIdentitiesCommand({
      IdentityPoolId: pool,
      DeveloperProviderName: DEVELOPER,
      SourceUserIdentifier: 'merge-src',
      DestinationUserIdentifier: 'merge-dst',
    }),
  );
  assert.equal(merged.IdentityId, destination.id);
  // The source identity is gone; its developer user and user pool login now sign in as the destination.
  assert.equal(
    (await refused(() => identity.send(new DescribeIdentityCommand({ IdentityId: source.id })))).name,
    'ResourceNotFoundException',
  );
  assert.equal((await developerToken({ user: 'merge-src' })).id, destination.id);
  const { IdentityId: byToken } = await unsigned.send(
    new GetIdCommand({ IdentityPoolId: pool, Logins: { [provider]: await idToken('erin') } }),
  );
  assert.equal(byToken, destination.id);
  const described = await identity.send(new DescribeIdentityCommand({ IdentityId: destination.id }));
  assert.deepEqual(described.Logins?.sort(), [DEVELOPER, provider].sort());
  assert.equal(described.LastModifiedDate!.getTime() - described.CreationDate!.getTime(), 1000);
  // Merging two users of one identity changes nothing.
  const again = await identity.send(
    new MergeDeveloperIdentitiesCommand({
      IdentityPoolId: pool,
      DeveloperProviderName: DEVELOPER,
      SourceUserIdentifier: 'merge-src',
      DestinationUserIdentifier: 'merge-dst',
    }),
  );
  assert.equal(again.IdentityId, destination.id);
});

test('MergeDeveloperIdentities refuses unknown users, another developer provider, and two users of one provider', async () => {
  await fixtures();
  await developerToken({ user: 'clash-a' });
  await developerToken({ user: 'clash-b' });
  const merge = (source: string, destination: string, developer = DEVELOPER) =>
    identity.send(
      new MergeDeveloperIdentitiesCommand({
        IdentityPoolId: pool,
        DeveloperProviderName: developer,
        SourceUserIdentifier: source,
        DestinationUserIdentifier: destination,
      }),
    );
  assert.equal((await refused(() => merge('nobody', 'clash-a'))).name, 'ResourceNotFoundException');
  assert.equal((await refused(() => merge('clash-a', 'nobody'))).name, 'ResourceNotFoundException');
  assert.deepEqual(await refused(() => merge('clash-a', 'clash-b', 'login.other.app')), {
    name: 'NotAuthorizedException',
    message: 'This identity pool does not support the specified developer provider',
  });
  // Two different users of the user pool, each with an identity of its own, cannot become one.
  await putUser(server, userPoolId, { username: 'frank' });
  await putUser(server, userPoolId, { username: 'grace' });
  const frank = await developerToken({ Logins: { [DEVELOPER]: 'frank-dev', [provider]: await idToken('frank') } });
  const grace = await developerToken({ Logins: { [DEVELOPER]: 'grace-dev', [provider]: await idToken('grace') } });
  const clash = await refused(() => merge('frank-dev', 'grace-dev'));
  assert.deepEqual(clash, {
    name: 'ResourceConflictException',
    message: `The identities are linked to two different users of ${provider} and cannot be merged.`,
  });
  const lookup = (user: string) =>
    identity.send(new LookupDeveloperIdentityCommand({ IdentityPoolId: pool, DeveloperUserIdentifier: user }));
  assert.equal((await lookup('frank-dev')).IdentityId, frank.id);
  assert.equal((await lookup('grace-dev')).IdentityId, grace.id);
});

test('UnlinkDeveloperIdentity frees the developer user, who gets a new identity next time', async () => {
  await fixtures();
  const { id } = await developerToken({ user: 'unlink-me' });
  const unlink = (user: string, identityId = id, developer = DEVELOPER) =>
    identity.send(
      new UnlinkDeveloperIdentityCommand({
        IdentityPoolId: pool,
        IdentityId: identityId,
        DeveloperProviderName: developer,
        DeveloperUserIdentifier: user,
      }),
    );
  assert.equal((await refused(() => unlink('unlink-me', id, 'login.other.app'))).name, 'NotAuthorizedException');
  assert.equal((await refused(() => unlink('someone-else'))).name, 'ResourceNotFoundException');
  await unlink('unlink-me');
  const described = await identity.send(new DescribeIdentityCommand({ IdentityId: id }));
  assert.equal(described.Logins, undefined);
  assert.notEqual((await developerToken({ user: 'unlink-me' })).id, id);
  // The unlinked identity, now without logins, is a guest again to GetOpenIdToken.
  const token = await unsigned.send(new GetOpenIdTokenCommand({ IdentityId: id }));
  assert.deepEqual((await verified(token.Token!))['amr'], ['unauthenticated']);
});

test('the developer token under cognito-identity.amazonaws.com gets credentials of the authenticated role, through fromCognitoIdentity too', async () => {
  await fixtures();
  const role = 'arn:aws:iam::000000000000:role/developer-users';
  await identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: pool, Roles: { authenticated: role } }));
  const { id, token } = await developerToken({ user: 'frank' });
  const answer = await unsigned.send(new GetCredentialsForIdentityCommand({ IdentityId: id, Logins: { [COGNITO_IDENTITY]: token } }));
  assert.equal(answer.IdentityId, id);
  const session = await server.services.store.stsSessions.get(answer.Credentials!.AccessKeyId!);
  assert.deepEqual(session && { roleArn: session.roleArn, subject: session.subject }, { roleArn: role, subject: id });

  const credentials = fromCognitoIdentity({
    identityId: id,
    logins: { [COGNITO_IDENTITY]: token },
    clientConfig: { endpoint: server.url, region: 'us-east-1', maxAttempts: 1 },
  });
  const sts = new STSClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  try {
    assert.equal(
      (await sts.send(new GetCallerIdentityCommand({}))).Arn,
      'arn:aws:sts::000000000000:assumed-role/developer-users/CognitoIdentityCredentials',
    );
  } finally {
    sts.destroy();
  }
});

test('a cognito-identity.amazonaws.com login of another identity, another pool, or with a broken signature is refused', async () => {
  await fixtures();
  const grace = await developerToken({ user: 'grace' });
  const heidi = await developerToken({ user: 'heidi' });
  const refusal = async (identityId: string, token: string) => {
    const error = await captureError(() =>
      unsigned.send(new GetCredentialsForIdentityCommand({ IdentityId: identityId, Logins: { [COGNITO_IDENTITY]: token } })),
    );
    return { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode };
  };
  assert.deepEqual(await refusal(grace.id, heidi.token), {
    name: 'NotAuthorizedException',
    message: "Logins don't match. Please include at least one valid login for this identity or identity pool.",
    status: 400,
  });
  const { IdentityId: plainGuest } = await unsigned.send(new GetIdCommand({ IdentityPoolId: plainPool }));
  const { Token: plainToken } = await unsigned.send(new GetOpenIdTokenCommand({ IdentityId: plainGuest }));
  assert.deepEqual(await refusal(grace.id, plainToken!), {
    name: 'NotAuthorizedException',
    message: 'Token is not from a supported provider of this identity pool.',
    status: 400,
  });
  const [header, payload] = grace.token.split('.');
  assert.deepEqual(await refusal(grace.id, `${header}.${payload}.AAAA`), {
    name: 'NotAuthorizedException',
    message: "Invalid login token. Couldn't verify signed token.",
    status: 400,
  });
  // A header that names no key: nothing to verify the signature with, whatever it is.
  const keyless = Buffer.from(JSON.stringify({ alg: 'RS256' })).toString('base64url');
  assert.deepEqual(await refusal(grace.id, `${keyless}.${payload}.${grace.token.split('.')[2]!}`), {
    name: 'NotAuthorizedException',
    message: "Invalid login token. Couldn't verify signed token.",
    status: 400,
  });
  clock.advance(16 * 60_000);
  const now = Math.floor(clock.now() / 1000);
  const { exp } = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as { exp: number };
  assert.deepEqual(await refusal(grace.id, grace.token), {
    name: 'NotAuthorizedException',
    message: `Invalid login token. Token expired: ${now} >= ${exp}`,
    status: 400,
  });
});
