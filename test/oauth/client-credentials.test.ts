import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddUserPoolClientSecretCommand,
  CreateResourceServerCommand,
  CreateUserPoolCommand,
  UpdateResourceServerCommand,
  type CreateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { startTestServer, type TestServer } from '../support/server.js';
import { createAppClient } from './helpers.js';

let server: TestServer;
let poolId: string;
let tokenUrl: string;
let confidential: { id: string; secret: string };

const SCOPES = ['weather/read', 'weather/write', 'https://maps.example.com/tiles.read'];

before(async () => {
  server = await startTestServer();
  poolId = (await server.admin.send(new CreateUserPoolCommand({ PoolName: 'm2m' }))).UserPool!.Id!;
  tokenUrl = `${server.url}/${poolId}/oauth2/token`;
  await server.admin.send(
    new CreateResourceServerCommand({
      UserPoolId: poolId,
      Identifier: 'weather',
      Name: 'Weather',
      Scopes: [
        { ScopeName: 'read', ScopeDescription: 'read' },
        { ScopeName: 'write', ScopeDescription: 'write' },
      ],
    }),
  );
  await server.admin.send(
    new CreateResourceServerCommand({
      UserPoolId: poolId,
      Identifier: 'https://maps.example.com',
      Name: 'Maps',
      Scopes: [{ ScopeName: 'tiles.read', ScopeDescription: 'tiles' }],
    }),
  );
  confidential = await createClient({});
});
after(() => server.stop());

const M2M: Partial<CreateUserPoolClientCommandInput> = {
  GenerateSecret: true,
  AllowedOAuthFlowsUserPoolClient: true,
  AllowedOAuthFlows: ['client_credentials'],
  AllowedOAuthScopes: SCOPES,
};

async function createClient(settings: Partial<CreateUserPoolClientCommandInput>, m2m = true): Promise<{ id: string; secret: string }> {
  const { id, secret } = await createAppClient(server, poolId, { ClientName: 'm2m', ...(m2m ? M2M : {}), ...settings });
  return { id, secret: secret ?? '' };
}

function basic(id: string, secret: string): string {
  const encode = (value: string): string => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`;
}

async function post(
  form: Record<string, string>,
  options: { authorization?: string; url?: string; contentType?: string } = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(options.url ?? tokenUrl, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
      ...(options.authorization ? { authorization: options.authorization } : {}),
    },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

async function expectOAuthError(
  form: Record<string, string>,
  options: { authorization?: string; url?: string; contentType?: string },
  error: string,
): Promise<void> {
  const response = await post(form, options);
  assert.equal(response.status, 400);
  assert.deepEqual(response.body, { error });
  assert.equal(response.headers.get('cache-control'), 'no-store');
}

async function verify(token: string): Promise<Record<string, unknown>> {
  const discovery = (await (await fetch(`${server.url}/${poolId}/.well-known/openid-configuration`)).json()) as {
    issuer: string;
    jwks_uri: string;
  };
  const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(discovery.jwks_uri)), { issuer: discovery.issuer });
  return payload;
}

test('client_secret_basic gets an M2M access token with exactly the claims of Cognito', async () => {
  const response = await post({ grant_type: 'client_credentials' }, { authorization: basic(confidential.id, confidential.secret) });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  assert.equal(response.headers.get('pragma'), 'no-cache');
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  assert.deepEqual(Object.keys(response.body).sort(), ['access_token', 'expires_in', 'token_type']);
  assert.equal(response.body['expires_in'], 3600);
  assert.equal(response.body['token_type'], 'Bearer');

  const token = response.body['access_token'] as string;
  const claims = await verify(token);
  assert.deepEqual(Object.keys(claims).sort(), [
    'auth_time',
    'client_id',
    'exp',
    'iat',
    'iss',
    'jti',
    'scope',
    'sub',
    'token_use',
    'version',
  ]);
  assert.equal(claims['sub'], confidential.id);
  assert.equal(claims['client_id'], confidential.id);
  assert.equal(claims['token_use'], 'access');
  assert.equal(claims['version'], 2);
  assert.equal(claims['iss'], `${server.url}/${poolId}`);
  assert.equal(claims['auth_time'], claims['iat']);
  // Seconds since the epoch, now by the server's clock (not milliseconds).
  assert.ok(Math.abs((claims['iat'] as number) - server.services.clock.now() / 1000) < 5, `iat ${claims['iat']}`);
  assert.equal(claims['exp'], (claims['iat'] as number) + 3600);
  assert.match(claims['jti'] as string, /^[0-9a-f-]{36}$/);
  // No scope asked: every custom scope of the client.
  assert.equal(claims['scope'], SCOPES.join(' '));

  // Signed with the pool's access-token key, not the ID-token key.
  const jwks = (await (await fetch(`${server.url}/${poolId}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
  assert.equal(jwks.keys.length, 2);
  assert.equal(decodeProtectedHeader(token).kid, (await server.services.keys.signingKey(poolId, 'access')).kid);
});

test('client_secret_post gets a token for a subset of the scopes', async () => {
  const response = await post({
    grant_type: 'client_credentials',
    client_id: confidential.id,
    client_secret: confidential.secret,
    scope: 'https://maps.example.com/tiles.read weather/read',
  });
  assert.equal(response.status, 200);
  const claims = await verify(response.body['access_token'] as string);
  assert.equal(claims['scope'], 'https://maps.example.com/tiles.read weather/read');
  assert.equal(claims['sub'], confidential.id);
});

test('Basic credentials are form-decoded, client_id may repeat in the body, any active secret works', async () => {
  const client = await createClient({ GenerateSecret: false, ClientSecret: 'plus+sign+secret_0123456789' });
  const ok = await post(
    { grant_type: 'client_credentials', client_id: client.id, scope: 'weather/write' },
    { authorization: basic(client.id, client.secret) },
  );
  assert.equal(ok.status, 200);
  assert.equal((await verify(ok.body['access_token'] as string))['scope'], 'weather/write');

  const added = await server.admin.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: client.id }));
  const second = added.ClientSecretDescriptor!.ClientSecretValue!;
  for (const secret of [client.secret, second]) {
    const response = await post({ grant_type: 'client_credentials', client_id: client.id, client_secret: secret });
    assert.equal(response.status, 200);
  }
});

test('the token lives as long as the client access-token validity', async () => {
  const client = await createClient({ AccessTokenValidity: 10, TokenValidityUnits: { AccessToken: 'minutes' } });
  const response = await post({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret });
  assert.equal(response.body['expires_in'], 600);
  const claims = await verify(response.body['access_token'] as string);
  assert.equal(claims['exp'], (claims['iat'] as number) + 600);
});

test('a scope whose resource server lost it is no longer granted', async () => {
  await server.admin.send(
    new CreateResourceServerCommand({
      UserPoolId: poolId,
      Identifier: 'shrinking',
      Name: 'Shrinking',
      Scopes: [
        { ScopeName: 'a', ScopeDescription: 'a' },
        { ScopeName: 'b', ScopeDescription: 'b' },
      ],
    }),
  );
  const client = await createClient({ AllowedOAuthScopes: ['shrinking/a', 'shrinking/b'] });
  await server.admin.send(
    new UpdateResourceServerCommand({
      UserPoolId: poolId,
      Identifier: 'shrinking',
      Name: 'Shrinking',
      Scopes: [{ ScopeName: 'a', ScopeDescription: 'a' }],
    }),
  );
  const all = await post({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret });
  assert.equal((await verify(all.body['access_token'] as string))['scope'], 'shrinking/a');
  await expectOAuthError(
    { grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret, scope: 'shrinking/b' },
    {},
    'invalid_scope',
  );
});

test('client authentication failures are invalid_client', async () => {
  const grant = { grant_type: 'client_credentials' };
  await expectOAuthError(grant, { authorization: basic(confidential.id, 'wrong-secret') }, 'invalid_client');
  await expectOAuthError({ ...grant, client_id: confidential.id, client_secret: 'wrong-secret' }, {}, 'invalid_client');
  await expectOAuthError({ ...grant, client_id: confidential.id }, {}, 'invalid_client');
  await expectOAuthError(grant, {}, 'invalid_client');
  await expectOAuthError(grant, { authorization: basic('unknownclient', confidential.secret) }, 'invalid_client');
  await expectOAuthError(grant, { authorization: 'Bearer abc' }, 'invalid_client');
  await expectOAuthError(grant, { authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` }, 'invalid_client');
  await expectOAuthError(
    { ...grant, client_id: 'other' },
    { authorization: basic(confidential.id, confidential.secret) },
    'invalid_client',
  );

  // The client must belong to the pool in the path.
  const otherPool = (await server.admin.send(new CreateUserPoolCommand({ PoolName: 'other' }))).UserPool!.Id!;
  await expectOAuthError(
    grant,
    { authorization: basic(confidential.id, confidential.secret), url: `${server.url}/${otherPool}/oauth2/token` },
    'invalid_client',
  );
});

test('a public client cannot use client_credentials', async () => {
  const code = {
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code' as const],
    AllowedOAuthScopes: ['openid'],
    CallbackURLs: ['https://app.example.com/cb'],
  };
  const publicClient = await createClient(code, false);
  await expectOAuthError({ grant_type: 'client_credentials', client_id: publicClient.id }, {}, 'invalid_client');
  await expectOAuthError({ grant_type: 'client_credentials', client_id: publicClient.id, client_secret: 'anything' }, {}, 'invalid_client');
});

test('a confidential client without the client_credentials flow is unauthorized_client', async () => {
  const codeClient = await createClient(
    {
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'weather/read'],
      CallbackURLs: ['https://app.example.com/cb'],
    },
    false,
  );
  await expectOAuthError(
    { grant_type: 'client_credentials' },
    { authorization: basic(codeClient.id, codeClient.secret) },
    'unauthorized_client',
  );

  const notEnabled = await createClient({ AllowedOAuthFlowsUserPoolClient: false });
  await expectOAuthError(
    { grant_type: 'client_credentials' },
    { authorization: basic(notEnabled.id, notEnabled.secret) },
    'unauthorized_client',
  );

  const noOAuth = await createClient({ GenerateSecret: true }, false);
  await expectOAuthError({ grant_type: 'client_credentials' }, { authorization: basic(noOAuth.id, noOAuth.secret) }, 'unauthorized_client');
});

test('a scope outside the client custom scopes is invalid_scope', async () => {
  const auth = { authorization: basic(confidential.id, confidential.secret) };
  await expectOAuthError({ grant_type: 'client_credentials', scope: 'weather/delete' }, auth, 'invalid_scope');
  await expectOAuthError({ grant_type: 'client_credentials', scope: 'weather/read unknown/x' }, auth, 'invalid_scope');
  await expectOAuthError({ grant_type: 'client_credentials', scope: 'openid' }, auth, 'invalid_scope');
  await expectOAuthError({ grant_type: 'client_credentials', scope: 'aws.cognito.signin.user.admin' }, auth, 'invalid_scope');
});

test('malformed requests are invalid_request and other grants unsupported_grant_type', async () => {
  const auth = { authorization: basic(confidential.id, confidential.secret) };
  await expectOAuthError({}, auth, 'invalid_request');
  await expectOAuthError({ scope: 'weather/read' }, auth, 'invalid_request');
  await expectOAuthError({ grant_type: 'client_credentials' }, { ...auth, contentType: 'application/json' }, 'invalid_request');
  await expectOAuthError(
    { grant_type: 'client_credentials', client_id: confidential.id, client_secret: confidential.secret },
    auth,
    'invalid_request',
  );
  // A pool that does not exist has no endpoints at all, as an unknown Cognito domain has none.
  const noPool = await fetch(`${server.url}/us-east-1_nopool123/oauth2/token`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  assert.equal(noPool.status, 404);

  const repeated = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth },
    body: 'grant_type=client_credentials&grant_type=client_credentials',
  });
  assert.equal(repeated.status, 400);
  assert.deepEqual(await repeated.json(), { error: 'invalid_request' });

  const json = await fetch(tokenUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: '{not json' });
  assert.equal(json.status, 400);
  assert.deepEqual(await json.json(), { error: 'invalid_request' });

  const get = await fetch(tokenUrl);
  assert.equal(get.status, 405);
  assert.equal(get.headers.get('allow'), 'POST');
  assert.equal(await get.text(), '');

  for (const grantType of ['password', 'implicit', 'urn:ietf:params:oauth:grant-type:jwt-bearer']) {
    await expectOAuthError({ grant_type: grantType }, auth, 'unsupported_grant_type');
  }
});

test('the discovery document names the token endpoint and its client authentication methods', async () => {
  const discovery = (await (await fetch(`${server.url}/${poolId}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
  assert.equal(discovery['token_endpoint'], tokenUrl);
  assert.deepEqual(discovery['token_endpoint_auth_methods_supported'], ['client_secret_basic', 'client_secret_post']);
});

test("openid-client's clientCredentialsGrant works against the discovery URL, with Basic and with post", async () => {
  const { discovery, clientCredentialsGrant, allowInsecureRequests, ClientSecretBasic, ClientSecretPost } = await import('openid-client');
  const issuer = new URL(`${server.url}/${poolId}`);
  for (const auth of [ClientSecretBasic(confidential.secret), ClientSecretPost(confidential.secret)]) {
    // The test server speaks plain http on loopback.
    const config = await discovery(issuer, confidential.id, undefined, auth, { execute: [allowInsecureRequests] });
    const tokens = await clientCredentialsGrant(config, { scope: 'weather/read' });
    assert.equal(tokens.token_type, 'bearer');
    assert.equal(tokens.expires_in, 3600);
    const claims = await verify(tokens.access_token);
    assert.equal(claims['scope'], 'weather/read');
    assert.equal(claims['client_id'], confidential.id);
  }
});
