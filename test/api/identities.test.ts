import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CognitoIdentityClient,
  CreateIdentityPoolCommand,
  DeleteIdentitiesCommand,
  DeleteIdentityPoolCommand,
  DescribeIdentityCommand,
  GetIdCommand,
  GetOpenIdTokenCommand,
  ListIdentitiesCommand,
  UnlinkIdentityCommand,
  UpdateIdentityPoolCommand,
  type GetIdCommandInput,
} from '@aws-sdk/client-cognito-identity';
import { AdminDeleteUserCommand, AdminDisableUserCommand, AdminUserGlobalSignOutCommand } from '@aws-sdk/client-cognito-identity-provider';
import { serverForTests, captureError, type TestServer } from '../support/server.js';
import { createClient, createPool, putUser } from './auth-fixtures.js';
import { identityClients, signInUser, verifyOpenIdToken } from './identity-fixtures.js';

let server: TestServer;
let identity: CognitoIdentityClient;
let unsigned: CognitoIdentityClient;
const clock = serverForTests((started) => {
  server = started;
  ({ identity, unsigned } = identityClients(server));
});

let userPoolId: string;
let clientId: string;
/** The same user pool's second app client, which the identity pools do not list. */
let unlistedClientId: string;
/** `cognito-idp.us-east-1.amazonaws.com/<userPoolId>`. */
let provider: string;
/** Identity pools: one with guests, one without, one that lists no user pool. */
let withGuests: string;
let withoutGuests: string;
let noProviders: string;

function signIn(username: string, client = clientId, pool = userPoolId): Promise<{ id: string; access: string }> {
  return signInUser(server, pool, client, username);
}

async function getId(input: GetIdCommandInput): Promise<string> {
  const { IdentityId } = await unsigned.send(new GetIdCommand(input));
  assert.match(IdentityId!, /^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  return IdentityId!;
}

async function refusedLogin(logins: Record<string, string>, pool = withGuests): Promise<{ name: string; message: string }> {
  const error = await captureError(() => unsigned.send(new GetIdCommand({ IdentityPoolId: pool, Logins: logins })));
  assert.equal(error.$metadata?.httpStatusCode, 400);
  return { name: error.name, message: error.message };
}

/** The user pool, its users and the identity pools, made once for the file's tests. */
let ready: Promise<void> | undefined;
function fixtures(): Promise<void> {
  return (ready ??= setUp());
}

async function setUp(): Promise<void> {
  userPoolId = await createPool(server);
  clientId = (await createClient(server, userPoolId)).clientId;
  unlistedClientId = (await createClient(server, userPoolId)).clientId;
  provider = `cognito-idp.us-east-1.amazonaws.com/${userPoolId}`;
  await putUser(server, userPoolId, { username: 'alice' });
  await putUser(server, userPoolId, { username: 'bob' });
  const create = async (name: string, allowGuests: boolean, listed: boolean): Promise<string> =>
    (
      await identity.send(
        new CreateIdentityPoolCommand({
          IdentityPoolName: name,
          AllowUnauthenticatedIdentities: allowGuests,
          ...(listed ? { CognitoIdentityProviders: [{ ProviderName: provider, ClientId: clientId }] } : {}),
        }),
      )
    ).IdentityPoolId!;
  withGuests = await create('guests', true, true);
  withoutGuests = await create('members', false, true);
  noProviders = await create('guests only', true, false);
}

test('GetId with a user pool ID token answers the same identity every time, under either provider name', async () => {
  await fixtures();
  const first = await getId({ IdentityPoolId: withGuests, Logins: { [provider]: (await signIn('alice')).id } });
  const again = await getId({ IdentityPoolId: withGuests, AccountId: '000000000000', Logins: { [provider]: (await signIn('alice')).id } });
  const issuerForm = await getId({ IdentityPoolId: withGuests, Logins: { [`${server.url}/${userPoolId}`]: (await signIn('alice')).id } });
  assert.equal(again, first);
  assert.equal(issuerForm, first);
  const bob = await getId({ IdentityPoolId: withGuests, Logins: { [provider]: (await signIn('bob')).id } });
  assert.notEqual(bob, first);
  // Another identity pool gives the same user an identity of its own.
  const elsewhere = await getId({ IdentityPoolId: withoutGuests, Logins: { [provider]: (await signIn('alice')).id } });
  assert.notEqual(elsewhere, first);
  const stored = await server.services.store.identities.get(first);
  assert.deepEqual(stored?.logins, [
    { providerName: provider, subject: (await server.services.store.users.get(userPoolId, 'alice'))!.sub },
  ]);
});

test('GetId without logins is a new guest identity when the pool allows guests, and refused when it does not', async () => {
  await fixtures();
  const guest = await getId({ IdentityPoolId: withGuests });
  const another = await getId({ IdentityPoolId: withGuests, Logins: {} });
  assert.notEqual(another, guest);
  assert.deepEqual((await server.services.store.identities.get(guest))?.logins, []);
  const error = await captureError(() => unsigned.send(new GetIdCommand({ IdentityPoolId: withoutGuests })));
  assert.equal(error.name, 'NotAuthorizedException');
  assert.equal(error.message, 'Unauthenticated access is not supported for this identity pool.');
  assert.equal(error.$metadata?.httpStatusCode, 400);
});

test("GetId refuses a provider or app client the pool doesn't list with Cognito's text", async () => {
  await fixtures();
  const unsupported = { name: 'NotAuthorizedException', message: 'Token is not from a supported provider of this identity pool.' };
  const token = (await signIn('alice')).id;
  assert.deepEqual(await refusedLogin({ [provider]: token }, noProviders), unsupported);
  assert.deepEqual(await refusedLogin({ 'cognito-idp.us-east-1.amazonaws.com/us-east-1_Unlisted1': token }), unsupported);
  assert.deepEqual(await refusedLogin({ 'accounts.google.com': token }), unsupported);
  assert.deepEqual(await refusedLogin({ [provider]: (await signIn('alice', unlistedClientId)).id }), unsupported);
});

test('GetId refuses tokens that are not valid ID tokens of the provider', async () => {
  await fixtures();
  const { id, access } = await signIn('alice');
  const invalid = (message: string) => ({ name: 'NotAuthorizedException', message });
  assert.deepEqual(await refusedLogin({ [provider]: 'not-a-token' }), invalid('Invalid login token. Not a Cognito token.'));
  assert.deepEqual(await refusedLogin({ [provider]: access }), invalid('Invalid login token. Missing a required claim: aud'));

  const [header, payload, signature] = id.split('.') as [string, string, string];
  const forged = `${header}.${payload}.${signature.slice(0, -4)}${signature.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
  assert.deepEqual(await refusedLogin({ [provider]: forged }), invalid("Invalid login token. Couldn't verify signed token."));

  // A token of another user pool, presented under this one's name.
  const otherPool = await createPool(server);
  const otherClient = (await createClient(server, otherPool)).clientId;
  await putUser(server, otherPool, { username: 'alice' });
  const foreign = (await signIn('alice', otherClient, otherPool)).id;
  assert.deepEqual(await refusedLogin({ [provider]: foreign }), invalid("Invalid login token. Issuer doesn't match providerName"));
});

test('GetId refuses an expired ID token, naming now and its expiry in seconds', async () => {
  await fixtures();
  const token = (await signIn('alice')).id;
  const exp = (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { exp: number }).exp;
  await clock.travel(2 * 3600_000, async () => {
    const now = Math.floor(clock.now() / 1000);
    assert.deepEqual(await refusedLogin({ [provider]: token }), {
      name: 'NotAuthorizedException',
      message: `Invalid login token. Token expired: ${now} >= ${exp}`,
    });
  });
});

test('an ID token is refused from the second of its expiry on, and taken until then', async () => {
  await fixtures();
  const token = (await signIn('alice')).id;
  const exp = (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { exp: number }).exp;
  const untilExpiry = exp * 1000 - clock.now();
  await clock.travel(untilExpiry - 1, () => getId({ IdentityPoolId: withGuests, Logins: { [provider]: token } }));
  await clock.travel(untilExpiry, async () => {
    assert.deepEqual(await refusedLogin({ [provider]: token }), {
      name: 'NotAuthorizedException',
      message: `Invalid login token. Token expired: ${exp} >= ${exp}`,
    });
  });
});

test('GetId of an identity pool that does not exist is ResourceNotFoundException', async () => {
  await fixtures();
  const missing = 'us-east-1:00000000-0000-4000-8000-000000000000';
  const error = await captureError(() => unsigned.send(new GetIdCommand({ IdentityPoolId: missing })));
  assert.equal(error.name, 'ResourceNotFoundException');
  assert.equal(error.message, `IdentityPool '${missing}' not found.`);
});

test('DescribeIdentity answers the linked providers and the dates in seconds; an unknown identity is ResourceNotFoundException', async () => {
  await fixtures();
  const before = server.services.clock.now() / 1000;
  const member = await getId({ IdentityPoolId: withoutGuests, Logins: { [provider]: (await signIn('bob')).id } });
  const { $metadata: _m, ...described } = await identity.send(new DescribeIdentityCommand({ IdentityId: member }));
  assert.equal(described.IdentityId, member);
  assert.deepEqual(described.Logins, [provider]);
  assert.equal(described.CreationDate!.getTime() / 1000 >= before, true);
  assert.deepEqual(described.LastModifiedDate, described.CreationDate);

  const guest = await identity.send(new DescribeIdentityCommand({ IdentityId: await getId({ IdentityPoolId: withGuests }) }));
  assert.equal(guest.Logins, undefined);

  const missing = 'us-east-1:00000000-0000-4000-8000-0000000000ff';
  const error = await captureError(() => identity.send(new DescribeIdentityCommand({ IdentityId: missing })));
  assert.equal(error.name, 'ResourceNotFoundException');
  assert.equal(error.message, `Identity '${missing}' not found.`);
});

test("ListIdentities pages a pool's identities in ID order, MaxResults 1-60 at a time", async () => {
  await fixtures();
  const pool = (await identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'listed', AllowUnauthenticatedIdentities: true })))
    .IdentityPoolId!;
  const made: string[] = [];
  for (let i = 0; i < 5; i++) made.push(await getId({ IdentityPoolId: pool }));
  const first = await identity.send(new ListIdentitiesCommand({ IdentityPoolId: pool, MaxResults: 2, HideDisabled: true }));
  assert.equal(first.IdentityPoolId, pool);
  assert.equal(first.Identities!.length, 2);
  assert.equal(typeof first.NextToken, 'string');
  const seen: string[] = [];
  let next: string | undefined;
  do {
    const page = await identity.send(new ListIdentitiesCommand({ IdentityPoolId: pool, MaxResults: 2, NextToken: next }));
    seen.push(...page.Identities!.map((i) => i.IdentityId!));
    next = page.NextToken;
  } while (next !== undefined && seen.length < 10);
  assert.deepEqual(seen, [...made].sort());

  const tooMany = await captureError(() => identity.send(new ListIdentitiesCommand({ IdentityPoolId: pool, MaxResults: 61 })));
  assert.equal(tooMany.name, 'InvalidParameterException');
  assert.match(tooMany.message, /maxResults/);
  const noPool = await captureError(() =>
    identity.send(new ListIdentitiesCommand({ IdentityPoolId: 'us-east-1:00000000-0000-4000-8000-000000000000', MaxResults: 5 })),
  );
  assert.equal(noPool.name, 'ResourceNotFoundException');
});

test('DeleteIdentities deletes identities, and the user gets a new identity at the next GetId', async () => {
  await fixtures();
  await putUser(server, userPoolId, { username: 'carol' });
  const carol = await getId({ IdentityPoolId: withGuests, Logins: { [provider]: (await signIn('carol')).id } });
  const guest = await getId({ IdentityPoolId: withGuests });
  const { $metadata: _m, ...answer } = await identity.send(
    new DeleteIdentitiesCommand({ IdentityIdsToDelete: [carol, guest, 'us-east-1:00000000-0000-4000-8000-0000000000ee'] }),
  );
  assert.deepEqual(answer, { UnprocessedIdentityIds: [] });
  for (const gone of [carol, guest]) {
    const error = await captureError(() => identity.send(new DescribeIdentityCommand({ IdentityId: gone })));
    assert.equal(error.name, 'ResourceNotFoundException');
  }
  const again = await getId({ IdentityPoolId: withGuests, Logins: { [provider]: (await signIn('carol')).id } });
  assert.notEqual(again, carol);
});

test("UnlinkIdentity removes a provider's login when the caller proves the identity is theirs", async () => {
  await fixtures();
  await putUser(server, userPoolId, { username: 'dave' });
  await putUser(server, userPoolId, { username: 'erin' });
  const dave = await getId({ IdentityPoolId: withGuests, Logins: { [provider]: (await signIn('dave')).id } });

  // Erin's valid login is not Dave's: refused, and nothing changes.
  const erin = (await signIn('erin')).id;
  const error = await captureError(() =>
    unsigned.send(new UnlinkIdentityCommand({ IdentityId: dave, Logins: { [provider]: erin }, LoginsToRemove: [provider] })),
  );
  assert.equal(error.name, 'NotAuthorizedException');
  assert.equal(error.message, "Logins don't match. Please include at least one valid login for this identity or identity pool.");
  assert.deepEqual((await identity.send(new DescribeIdentityCommand({ IdentityId: dave }))).Logins, [provider]);

  clock.advance(2000);
  await unsigned.send(
    new UnlinkIdentityCommand({
      IdentityId: dave,
      Logins: { [provider]: (await signIn('dave')).id },
      LoginsToRemove: [`${server.url}/${userPoolId}`],
    }),
  );
  const unlinked = await identity.send(new DescribeIdentityCommand({ IdentityId: dave }));
  assert.equal(unlinked.Logins, undefined);
  assert.equal(unlinked.LastModifiedDate!.getTime() - unlinked.CreationDate!.getTime(), 2000);
  // Dave's login is free again: it maps to a new identity.
  assert.notEqual(await getId({ IdentityPoolId: withGuests, Logins: { [provider]: (await signIn('dave')).id } }), dave);
});

test('GetOpenIdToken gives a signed-in identity a token that jose verifies with the published keys', async () => {
  await fixtures();
  const alice = await getId({ IdentityPoolId: withGuests, Logins: { [provider]: (await signIn('alice')).id } });
  const answer = await unsigned.send(new GetOpenIdTokenCommand({ IdentityId: alice, Logins: { [provider]: (await signIn('alice')).id } }));
  assert.equal(answer.IdentityId, alice);
  const claims = await verifyOpenIdToken(server, clock, answer.Token!, withGuests);
  const sub = (await server.services.store.users.get(userPoolId, 'alice'))!.sub;
  assert.equal(claims['sub'], alice);
  assert.deepEqual(claims['amr'], ['authenticated', provider, `${provider}:CognitoSignIn:${sub}`]);
  assert.equal((claims['exp'] as number) - (claims['iat'] as number), 600);
  assert.equal(claims['iat'], Math.floor(clock.now() / 1000));

  // A token from another key set, or altered, does not verify.
  const [header, payload] = answer.Token!.split('.') as [string, string, string];
  const userPoolToken = (await signIn('alice')).id;
  await assert.rejects(verifyOpenIdToken(server, clock, `${header}.${payload}.${userPoolToken.split('.')[2]!}`, withGuests));
});

test("GetOpenIdToken refuses a signed-in identity without its login, or with another user's", async () => {
  await fixtures();
  const alice = await getId({ IdentityPoolId: withGuests, Logins: { [provider]: (await signIn('alice')).id } });
  const bob = (await signIn('bob')).id;
  for (const logins of [undefined, { [provider]: bob }]) {
    const error = await captureError(() =>
      unsigned.send(new GetOpenIdTokenCommand({ IdentityId: alice, ...(logins ? { Logins: logins } : {}) })),
    );
    assert.equal(error.name, 'NotAuthorizedException');
    assert.equal(error.message, "Logins don't match. Please include at least one valid login for this identity or identity pool.");
  }
});

test('GetOpenIdToken gives a guest an unauthenticated token while its pool allows guests', async () => {
  await fixtures();
  const pool = (await identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'guests', AllowUnauthenticatedIdentities: true })))
    .IdentityPoolId!;
  const guest = await getId({ IdentityPoolId: pool });
  const { Token } = await unsigned.send(new GetOpenIdTokenCommand({ IdentityId: guest }));
  const claims = await verifyOpenIdToken(server, clock, Token!, pool);
  assert.equal(claims['sub'], guest);
  assert.deepEqual(claims['amr'], ['unauthenticated']);

  await identity.send(
    new UpdateIdentityPoolCommand({ IdentityPoolId: pool, IdentityPoolName: 'guests', AllowUnauthenticatedIdentities: false }),
  );
  const error = await captureError(() => unsigned.send(new GetOpenIdTokenCommand({ IdentityId: guest })));
  assert.equal(error.name, 'NotAuthorizedException');
  assert.equal(error.message, 'Unauthenticated access is not supported for this identity pool.');
});

test('with ServerSideTokenCheck, a token of a user who signed out, was disabled or deleted is refused', async () => {
  await fixtures();
  const checked = (
    await identity.send(
      new CreateIdentityPoolCommand({
        IdentityPoolName: 'checked',
        AllowUnauthenticatedIdentities: false,
        CognitoIdentityProviders: [{ ProviderName: provider, ClientId: clientId, ServerSideTokenCheck: true }],
      }),
    )
  ).IdentityPoolId!;
  const refused = { name: 'NotAuthorizedException', message: 'Invalid login token. The user is signed out, disabled or deleted.' };
  for (const username of ['gina', 'hank', 'ivan']) await putUser(server, userPoolId, { username });

  const before = (await signIn('gina')).id;
  const gina = await getId({ IdentityPoolId: checked, Logins: { [provider]: before } });
  clock.advance(1000);
  await server.admin.send(new AdminUserGlobalSignOutCommand({ UserPoolId: userPoolId, Username: 'gina' }));
  assert.deepEqual(await refusedLogin({ [provider]: before }, checked), refused);
  // The pool without the check still takes it, and a token from after the sign-out passes.
  await getId({ IdentityPoolId: withGuests, Logins: { [provider]: before } });
  clock.advance(1000);
  assert.equal(await getId({ IdentityPoolId: checked, Logins: { [provider]: (await signIn('gina')).id } }), gina);

  const hank = (await signIn('hank')).id;
  await server.admin.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: 'hank' }));
  assert.deepEqual(await refusedLogin({ [provider]: hank }, checked), refused);
  const ivan = (await signIn('ivan')).id;
  await server.admin.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: 'ivan' }));
  assert.deepEqual(await refusedLogin({ [provider]: ivan }, checked), refused);
  // A user of the same name created again is another user: the old user's token is not theirs.
  await putUser(server, userPoolId, { username: 'ivan' });
  assert.deepEqual(await refusedLogin({ [provider]: ivan }, checked), refused);
  await getId({ IdentityPoolId: checked, Logins: { [provider]: (await signIn('ivan')).id } });
});

test('logins an identity lacks are linked to it: a guest signed in keeps its ID, and GetId with two logins joins them', async () => {
  await fixtures();
  await putUser(server, userPoolId, { username: 'jack' });
  const guest = await getId({ IdentityPoolId: withGuests });
  const jack = { [provider]: (await signIn('jack')).id };
  const { Token } = await unsigned.send(new GetOpenIdTokenCommand({ IdentityId: guest, Logins: jack }));
  const sub = (await server.services.store.users.get(userPoolId, 'jack'))!.sub;
  assert.deepEqual((await verifyOpenIdToken(server, clock, Token!, withGuests))['amr'], [
    'authenticated',
    provider,
    `${provider}:CognitoSignIn:${sub}`,
  ]);
  assert.equal(await getId({ IdentityPoolId: withGuests, Logins: jack }), guest);
  assert.deepEqual((await identity.send(new DescribeIdentityCommand({ IdentityId: guest }))).Logins, [provider]);

  // Jack's login is this identity's now: another guest cannot take it.
  const other = await getId({ IdentityPoolId: withGuests });
  const conflict = await captureError(() => unsigned.send(new GetOpenIdTokenCommand({ IdentityId: other, Logins: jack })));
  assert.equal(conflict.name, 'ResourceConflictException');
  assert.equal(conflict.message, `The login of ${provider} is already linked to another identity.`);

  // A second user pool, listed beside the first: one identity for both of a person's logins.
  const secondPool = await createPool(server);
  const secondClient = (await createClient(server, secondPool)).clientId;
  const secondProvider = `cognito-idp.us-east-1.amazonaws.com/${secondPool}`;
  await putUser(server, secondPool, { username: 'jack' });
  const both = (
    await identity.send(
      new CreateIdentityPoolCommand({
        IdentityPoolName: 'two providers',
        AllowUnauthenticatedIdentities: false,
        CognitoIdentityProviders: [
          { ProviderName: provider, ClientId: clientId },
          { ProviderName: secondProvider, ClientId: secondClient },
        ],
      }),
    )
  ).IdentityPoolId!;
  const first = await getId({ IdentityPoolId: both, Logins: jack });
  const secondLogin = { [secondProvider]: (await signIn('jack', secondClient, secondPool)).id };
  assert.equal(await getId({ IdentityPoolId: both, Logins: { ...jack, ...secondLogin } }), first);
  assert.equal(await getId({ IdentityPoolId: both, Logins: secondLogin }), first);
  assert.deepEqual((await identity.send(new DescribeIdentityCommand({ IdentityId: first }))).Logins, [provider, secondProvider].sort());
});

test('DeleteIdentityPool deletes its identities too', async () => {
  await fixtures();
  const pool = (
    await identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'short-lived', AllowUnauthenticatedIdentities: true }))
  ).IdentityPoolId!;
  const guest = await getId({ IdentityPoolId: pool });
  await identity.send(new DeleteIdentityPoolCommand({ IdentityPoolId: pool }));
  const error = await captureError(() => identity.send(new DescribeIdentityCommand({ IdentityId: guest })));
  assert.equal(error.name, 'ResourceNotFoundException');
});

test('concurrent first GetIds for one user make one identity', async () => {
  await fixtures();
  await putUser(server, userPoolId, { username: 'kate' });
  const Logins = { [provider]: (await signIn('kate')).id };
  const ids = await Promise.all(Array.from({ length: 8 }, () => getId({ IdentityPoolId: withoutGuests, Logins })));
  assert.equal(new Set(ids).size, 1);
  const sub = (await server.services.store.users.get(userPoolId, 'kate'))!.sub;
  assert.equal((await server.services.store.identities.findByLogin(withoutGuests, { providerName: provider, subject: sub }))?.id, ids[0]);
});
