import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CognitoIdentityClient,
  CreateIdentityPoolCommand,
  DeleteIdentityPoolCommand,
  GetPrincipalTagAttributeMapCommand,
  SetPrincipalTagAttributeMapCommand,
} from '@aws-sdk/client-cognito-identity';
import { serverForTests, captureError, type TestServer } from '../support/server.js';
import { identityClients } from './identity-fixtures.js';
import { sessionPrincipalTags } from '../../src/api/ops/identities/role-choice.js';

let server: TestServer;
let identity: CognitoIdentityClient;
serverForTests((started) => {
  server = started;
  ({ identity } = identityClients(server));
});

const USER_POOL = 'us-east-1_Tags1';
const PROVIDER = `cognito-idp.us-east-1.amazonaws.com/${USER_POOL}`;
const OIDC = 'arn:aws:iam::123456789012:oidc-provider/login.example.dev';

async function createPool(): Promise<string> {
  const { IdentityPoolId } = await identity.send(
    new CreateIdentityPoolCommand({
      IdentityPoolName: 'tags',
      AllowUnauthenticatedIdentities: false,
      CognitoIdentityProviders: [{ ProviderName: PROVIDER, ClientId: 'client1' }],
      SupportedLoginProviders: { 'accounts.google.com': 'google-client' },
      OpenIdConnectProviderARNs: [OIDC],
    }),
  );
  return IdentityPoolId!;
}

async function refused(call: () => Promise<unknown>): Promise<{ name: string; message: string }> {
  const error = await captureError(call);
  assert.equal(error.$metadata?.httpStatusCode, 400);
  return { name: error.name, message: error.message };
}

function strip<T extends { $metadata?: unknown }>(answer: T): Omit<T, '$metadata'> {
  const { $metadata: _metadata, ...rest } = answer;
  return rest;
}

test('GetPrincipalTagAttributeMap answers a map that was never set as off', async () => {
  const pool = await createPool();
  const answer = await identity.send(new GetPrincipalTagAttributeMapCommand({ IdentityPoolId: pool, IdentityProviderName: PROVIDER }));
  assert.deepEqual(strip(answer), { IdentityPoolId: pool, IdentityProviderName: PROVIDER, UseDefaults: false });
});

test('SetPrincipalTagAttributeMap saves a user pool provider map that either provider name reads', async () => {
  const pool = await createPool();
  const set = await identity.send(
    new SetPrincipalTagAttributeMapCommand({ IdentityPoolId: pool, IdentityProviderName: PROVIDER, UseDefaults: true }),
  );
  assert.deepEqual(strip(set), { IdentityPoolId: pool, IdentityProviderName: PROVIDER, UseDefaults: true });
  const issuerForm = `${server.url}/${USER_POOL}`;
  const read = await identity.send(new GetPrincipalTagAttributeMapCommand({ IdentityPoolId: pool, IdentityProviderName: issuerForm }));
  assert.deepEqual(strip(read), { IdentityPoolId: pool, IdentityProviderName: issuerForm, UseDefaults: true });
  // Stored under Cognito's form of the name, where GetCredentialsForIdentity looks for it.
  assert.deepEqual(await server.services.store.principalTagMaps.get(pool, PROVIDER), {
    identityPoolId: pool,
    providerName: PROVIDER,
    useDefaults: true,
    principalTags: {},
  });
});

test('SetPrincipalTagAttributeMap replaces the provider map, and each provider has its own', async () => {
  const pool = await createPool();
  const tags = { department: 'custom:department', email: 'email' };
  const set = await identity.send(
    new SetPrincipalTagAttributeMapCommand({
      IdentityPoolId: pool,
      IdentityProviderName: 'accounts.google.com',
      UseDefaults: true,
      PrincipalTags: tags,
    }),
  );
  assert.deepEqual(strip(set), {
    IdentityPoolId: pool,
    IdentityProviderName: 'accounts.google.com',
    UseDefaults: true,
    PrincipalTags: tags,
  });
  await identity.send(
    new SetPrincipalTagAttributeMapCommand({ IdentityPoolId: pool, IdentityProviderName: OIDC, PrincipalTags: { team: 'team' } }),
  );
  // Left-out settings of a new map are off and empty.
  await identity.send(
    new SetPrincipalTagAttributeMapCommand({
      IdentityPoolId: pool,
      IdentityProviderName: 'accounts.google.com',
      PrincipalTags: { mail: 'email' },
    }),
  );
  const google = await identity.send(
    new GetPrincipalTagAttributeMapCommand({ IdentityPoolId: pool, IdentityProviderName: 'accounts.google.com' }),
  );
  assert.deepEqual(strip(google), {
    IdentityPoolId: pool,
    IdentityProviderName: 'accounts.google.com',
    UseDefaults: false,
    PrincipalTags: { mail: 'email' },
  });
  const oidc = await identity.send(new GetPrincipalTagAttributeMapCommand({ IdentityPoolId: pool, IdentityProviderName: OIDC }));
  assert.deepEqual(oidc.PrincipalTags, { team: 'team' });
  const userPool = await identity.send(new GetPrincipalTagAttributeMapCommand({ IdentityPoolId: pool, IdentityProviderName: PROVIDER }));
  assert.equal(userPool.UseDefaults, false);
  assert.equal(userPool.PrincipalTags, undefined);
});

test('Get and SetPrincipalTagAttributeMap refuse a provider the pool does not sign in with, and an unknown pool', async () => {
  const pool = await createPool();
  for (const name of ['graph.facebook.com', 'cognito-idp.us-east-1.amazonaws.com/us-east-1_Other1']) {
    const message = `Identity provider '${name}' is not configured for identity pool '${pool}'.`;
    assert.deepEqual(
      await refused(() =>
        identity.send(new SetPrincipalTagAttributeMapCommand({ IdentityPoolId: pool, IdentityProviderName: name, UseDefaults: true })),
      ),
      { name: 'InvalidParameterException', message },
    );
    assert.deepEqual(
      await refused(() => identity.send(new GetPrincipalTagAttributeMapCommand({ IdentityPoolId: pool, IdentityProviderName: name }))),
      {
        name: 'InvalidParameterException',
        message,
      },
    );
  }
  const unknown = 'us-east-1:00000000-0000-0000-0000-000000000000';
  assert.deepEqual(
    await refused(() => identity.send(new GetPrincipalTagAttributeMapCommand({ IdentityPoolId: unknown, IdentityProviderName: PROVIDER }))),
    {
      name: 'ResourceNotFoundException',
      message: `IdentityPool '${unknown}' not found.`,
    },
  );
});

test('SetPrincipalTagAttributeMap takes at most 50 tags, by the model', async () => {
  const pool = await createPool();
  const tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`tag${i}`, 'sub']));
  const error = await refused(() =>
    identity.send(new SetPrincipalTagAttributeMapCommand({ IdentityPoolId: pool, IdentityProviderName: PROVIDER, PrincipalTags: tags })),
  );
  assert.equal(error.name, 'InvalidParameterException');
  assert.match(error.message, /principalTags/);
});

test('DeleteIdentityPool deletes its principal tag maps', async () => {
  const pool = await createPool();
  await identity.send(new SetPrincipalTagAttributeMapCommand({ IdentityPoolId: pool, IdentityProviderName: PROVIDER, UseDefaults: true }));
  assert.ok(await server.services.store.principalTagMaps.get(pool, PROVIDER));
  await identity.send(new DeleteIdentityPoolCommand({ IdentityPoolId: pool }));
  assert.equal(await server.services.store.principalTagMaps.get(pool, PROVIDER), undefined);
});

test('a provider map saved by SetPrincipalTagAttributeMap gives the session tags of its sign-ins', async () => {
  const poolId = await createPool();
  const pool = (await server.services.store.identityPools.get(poolId))!;
  const claims = { sub: 'user-sub', aud: 'client1', email: 'ana@example.com' };
  const login = { providerName: PROVIDER, subject: 'user-sub', clientId: 'client1', claims };
  assert.deepEqual(await sessionPrincipalTags(server.services, pool, [login]), {});
  await identity.send(
    new SetPrincipalTagAttributeMapCommand({
      IdentityPoolId: poolId,
      IdentityProviderName: PROVIDER,
      UseDefaults: true,
      PrincipalTags: { mail: 'email' },
    }),
  );
  assert.deepEqual(await sessionPrincipalTags(server.services, pool, [login]), {
    username: 'user-sub',
    client: 'client1',
    mail: 'ana@example.com',
  });
});

test("an OIDC provider's map, kept under its ARN, tags the logins named by its host, and an OpenID token's tags come along", async () => {
  const poolId = await createPool();
  const pool = (await server.services.store.identityPools.get(poolId))!;
  await identity.send(
    new SetPrincipalTagAttributeMapCommand({ IdentityPoolId: poolId, IdentityProviderName: OIDC, PrincipalTags: { org: 'org_id' } }),
  );
  const oidc = { providerName: 'login.example.dev', subject: 'o-1', claims: { sub: 'o-1', org_id: 'acme' } };
  const developer = { providerName: 'login.example.app', subject: 'dev-1', claims: {}, sessionTags: { team: 'blue', org: 'other' } };
  assert.deepEqual(await sessionPrincipalTags(server.services, pool, [oidc, developer]), { org: 'acme', team: 'blue' });
});
