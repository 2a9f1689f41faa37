import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { CognitoJwtVerifier, JwtRsaVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { JwtInvalidAudienceError } from 'aws-jwt-verify/error';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { startTestServer, type TestServer } from '../support/server.js';
import { PASSWORD, createClient, createPool, decodeHeader, decodePayload, putUser, type TestClient } from './auth-fixtures.js';

let server: TestServer;
let poolId: string;
let client: TestClient;
let sub: string;
let idToken: string;
let accessToken: string;

async function signIn(
  target: TestServer,
  clientId: string,
  username: string,
): Promise<{ IdToken: string; AccessToken: string; ExpiresIn: number }> {
  const response = await target.anonymous.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: username, PASSWORD: PASSWORD },
    }),
  );
  const result = response.AuthenticationResult!;
  return { IdToken: result.IdToken!, AccessToken: result.AccessToken!, ExpiresIn: result.ExpiresIn! };
}

const ATTRIBUTES = {
  email: 'token@example.com',
  email_verified: 'true',
  'custom:tenant': 'acme',
  'custom:level': '3',
};

before(async () => {
  server = await startTestServer();
  poolId = await createPool(server, {
    Schema: [
      { Name: 'tenant', AttributeDataType: 'String', Mutable: true },
      { Name: 'level', AttributeDataType: 'Number', Mutable: true },
    ],
  });
  client = await createClient(server, poolId);
  sub = (await putUser(server, poolId, { username: 'token-user', attributes: ATTRIBUTES })).sub;
  ({ IdToken: idToken, AccessToken: accessToken } = await signIn(server, client.clientId, 'token-user'));
});
after(() => server.stop());

/** aws-jwt-verify's fetcher speaks HTTPS only; this one fetches the test server's http JWKS. */
function httpJwksCache(): SimpleJwksCache {
  return new SimpleJwksCache({ fetcher: { fetch: async (uri: string) => (await fetch(uri)).arrayBuffer() } });
}

test("ID and access tokens verify against the JWKS with jose and carry exactly Cognito's claims", async () => {
  const issuer = `${server.url}/${poolId}`;
  const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
  const id = await jwtVerify(idToken, jwks, { issuer, audience: client.clientId, algorithms: ['RS256'] });
  const access = await jwtVerify(accessToken, jwks, { issuer, algorithms: ['RS256'] });

  assert.deepEqual(Object.keys(id.payload).sort(), [
    'aud',
    'auth_time',
    'cognito:username',
    'custom:level',
    'custom:tenant',
    'email',
    'email_verified',
    'event_id',
    'exp',
    'iat',
    'iss',
    'jti',
    'origin_jti',
    'sub',
    'token_use',
  ]);
  assert.deepEqual(Object.keys(access.payload).sort(), [
    'auth_time',
    'client_id',
    'event_id',
    'exp',
    'iat',
    'iss',
    'jti',
    'origin_jti',
    'scope',
    'sub',
    'token_use',
    'username',
    'version',
  ]);

  const i = id.payload;
  assert.equal(i.sub, sub);
  assert.equal(i.aud, client.clientId);
  assert.equal(i['token_use'], 'id');
  assert.equal(i['cognito:username'], 'token-user');
  assert.equal(i['email'], 'token@example.com');
  assert.equal(i['email_verified'], true);
  assert.equal(i['custom:tenant'], 'acme');
  assert.equal(i['custom:level'], '3', 'custom attributes are always strings');
  assert.equal(i.exp! - i.iat!, 3600);
  assert.equal(i['auth_time'], i.iat);

  const a = access.payload;
  assert.equal(a.sub, sub);
  assert.equal(a['client_id'], client.clientId);
  assert.equal(a.aud, undefined);
  assert.equal(a['token_use'], 'access');
  assert.equal(a['scope'], 'aws.cognito.signin.user.admin');
  assert.equal(a['username'], 'token-user');
  assert.equal(a['version'], 2);
  assert.equal(a.exp! - a.iat!, 3600);

  assert.equal(a['origin_jti'], i['origin_jti']);
  assert.equal(a['event_id'], i['event_id']);
  assert.notEqual(a.jti, i.jti);
  for (const value of [a.jti, a['origin_jti'], a['event_id']]) assert.match(String(value), /^[0-9a-f-]{36}$/);
});

test('ID and access tokens are signed with different keys, both in the JWKS', async () => {
  const idHeader = decodeHeader(idToken);
  const accessHeader = decodeHeader(accessToken);
  assert.equal(idHeader['alg'], 'RS256');
  assert.equal(accessHeader['alg'], 'RS256');
  assert.notEqual(idHeader['kid'], accessHeader['kid']);
  const response = await fetch(`${server.url}/${poolId}/.well-known/jwks.json`);
  assert.equal(response.status, 200);
  const jwks = (await response.json()) as { keys: { kid: string; alg: string; kty: string; use: string; e: string; n: string }[] };
  assert.equal(jwks.keys.length, 2);
  assert.deepEqual(jwks.keys.map((k) => k.kid).sort(), [idHeader['kid'], accessHeader['kid']].sort());
  for (const key of jwks.keys) {
    assert.deepEqual(Object.keys(key).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
    assert.equal(key.use, 'sig');
  }
});

test('the OIDC discovery document names the issuer and a working jwks_uri', async () => {
  const response = await fetch(`${server.url}/${poolId}/.well-known/openid-configuration`);
  assert.equal(response.status, 200);
  const discovery = (await response.json()) as { issuer: string; jwks_uri: string; id_token_signing_alg_values_supported: string[] };
  assert.equal(discovery.issuer, `${server.url}/${poolId}`);
  assert.equal(discovery.issuer, decodePayload(idToken)['iss']);
  assert.deepEqual(discovery.id_token_signing_alg_values_supported, ['RS256']);
  const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
  await jwtVerify(idToken, jwks, { issuer: discovery.issuer, audience: client.clientId });
});

test("aws-jwt-verify's JwtRsaVerifier verifies the ID token and, checking client_id, the access token", async () => {
  const issuer = `${server.url}/${poolId}`;
  const jwksUri = `${issuer}/.well-known/jwks.json`;
  const idVerifier = JwtRsaVerifier.create({ issuer, audience: client.clientId, jwksUri }, { jwksCache: httpJwksCache() });
  const id = await idVerifier.verify(idToken);
  assert.equal(id['token_use'], 'id');

  const accessVerifier = JwtRsaVerifier.create(
    {
      issuer,
      audience: null,
      jwksUri,
      customJwtCheck: ({ payload }) => {
        if (payload['client_id'] !== client.clientId || payload['token_use'] !== 'access')
          throw new Error('not an access token of this client');
      },
    },
    { jwksCache: httpJwksCache() },
  );
  const access = await accessVerifier.verify(accessToken);
  assert.equal(access['username'], 'token-user');
  await assert.rejects(accessVerifier.verify(idToken), { message: 'not an access token of this client' });
  await assert.rejects(idVerifier.verify(accessToken), (error: unknown) => {
    assert.ok(error instanceof JwtInvalidAudienceError, String(error));
    assert.equal(error.message, `Missing Audience. Expected: ${client.clientId}`);
    return true;
  });
});

test('with issuerStyle aws, CognitoJwtVerifier verifies both tokens given the JWKS', async () => {
  const awsServer = await startTestServer({ issuerStyle: 'aws' });
  try {
    const awsPool = await createPool(awsServer);
    const awsClient = await createClient(awsServer, awsPool);
    await putUser(awsServer, awsPool, { username: 'aws-style' });
    const tokens = await signIn(awsServer, awsClient.clientId, 'aws-style');
    assert.equal(decodePayload(tokens.IdToken)['iss'], `https://cognito-idp.us-east-1.amazonaws.com/${awsPool}`);
    const jwks = (await (await fetch(`${awsServer.url}/${awsPool}/.well-known/jwks.json`)).json()) as Jwks;

    const idVerifier = CognitoJwtVerifier.create({ userPoolId: awsPool, tokenUse: 'id', clientId: awsClient.clientId });
    idVerifier.cacheJwks(jwks);
    assert.equal((await idVerifier.verify(tokens.IdToken))['cognito:username'], 'aws-style');

    const accessVerifier = CognitoJwtVerifier.create({ userPoolId: awsPool, tokenUse: 'access', clientId: awsClient.clientId });
    accessVerifier.cacheJwks(jwks);
    assert.equal((await accessVerifier.verify(tokens.AccessToken))['username'], 'aws-style');

    const discovery = (await (await fetch(`${awsServer.url}/${awsPool}/.well-known/openid-configuration`)).json()) as { issuer: string };
    assert.equal(discovery.issuer, `https://cognito-idp.us-east-1.amazonaws.com/${awsPool}`);
  } finally {
    await awsServer.stop();
  }
});

test('ReadAttributes limits the attributes in the ID token', async () => {
  const limited = await createClient(server, poolId, { ReadAttributes: ['email', 'email_verified'] });
  const tokens = await signIn(server, limited.clientId, 'token-user');
  const id = decodePayload(tokens.IdToken);
  assert.equal(id['email'], 'token@example.com');
  assert.equal(id['email_verified'], true);
  assert.equal(id['custom:tenant'], undefined);
});

test('group membership appears as cognito:groups in both tokens', async () => {
  const now = Date.now();
  await server.services.store.groups.create({
    poolId,
    name: 'admins',
    description: null,
    roleArn: null,
    precedence: 1,
    createdAt: now,
    updatedAt: now,
  });
  await putUser(server, poolId, { username: 'grouped' });
  const pool = (await server.services.store.pools.get(poolId))!;
  await server.services.store.groups.addMember(pool.id, 'admins', 'grouped');
  const tokens = await signIn(server, client.clientId, 'grouped');
  assert.deepEqual(decodePayload(tokens.IdToken)['cognito:groups'], ['admins']);
  assert.deepEqual(decodePayload(tokens.AccessToken)['cognito:groups'], ['admins']);
});

test("token lifetimes follow the client's validity and units (hours by default)", async () => {
  const hours = await createClient(server, poolId, { AccessTokenValidity: 2, IdTokenValidity: 3 });
  const tokens = await signIn(server, hours.clientId, 'token-user');
  assert.equal(tokens.ExpiresIn, 7200);
  const id = decodePayload(tokens.IdToken);
  assert.equal(Number(id['exp']) - Number(id['iat']), 10800);

  const minutes = await createClient(server, poolId, { AccessTokenValidity: 5, TokenValidityUnits: { AccessToken: 'minutes' } });
  const short = await signIn(server, minutes.clientId, 'token-user');
  assert.equal(short.ExpiresIn, 300);
  const access = decodePayload(short.AccessToken);
  assert.equal(Number(access['exp']) - Number(access['iat']), 300);
});
