import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  CreateResourceServerCommand,
  GetUserCommand,
  InitiateAuthCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import * as oidc from 'openid-client';
import { captureError, type TestServer } from '../support/server.js';
import type { FrozenClock } from '../../src/lib/clock.js';
import {
  CALLBACK,
  PASSWORD,
  WEB_CLIENT,
  basic,
  createAppClient,
  createClient,
  decodePayload,
  getManual,
  postForm,
  sessionCookie,
  startOAuthServer,
  type OAuthPool,
} from './helpers.js';

let server: TestServer;
let clock: FrozenClock;
let pool: OAuthPool;
let publicClient: { id: string; secret: string };
let confidential: { id: string; secret: string };
let tokenUrl: string;

before(async () => {
  ({ server, clock, pool } = await startOAuthServer());
  publicClient = await createClient(server, pool.poolId);
  confidential = await createClient(server, pool.poolId, { GenerateSecret: true });
  tokenUrl = `${pool.issuer}/oauth2/token`;
});
after(() => server.stop());

async function discover(clientId: string, secret?: string): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(pool.issuer), clientId, undefined, secret ? oidc.ClientSecretBasic(secret) : oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
}

/** Runs /oauth2/authorize with a session for alice and returns the callback URL it redirects to. */
async function authorize(params: Record<string, string>, cookie = sessionCookie(server, pool, 'alice')): Promise<URL> {
  const response = await getManual(`${pool.issuer}/oauth2/authorize?${new URLSearchParams(params).toString()}`, cookie);
  assert.equal(response.status, 302, response.body);
  return new URL(response.location);
}

async function codeFor(clientId: string, extra: Record<string, string> = {}): Promise<string> {
  const callback = await authorize({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'openid', ...extra });
  const code = callback.searchParams.get('code');
  assert.ok(code, callback.href);
  return code;
}

test('openid-client: authorization code with PKCE, then refresh, userInfo, revoke', async () => {
  const config = await discover(publicClient.id);
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK,
    scope: 'openid email profile aws.cognito.signin.user.admin',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  assert.equal(url.origin + url.pathname, `${pool.issuer}/oauth2/authorize`);
  const response = await getManual(url.href, sessionCookie(server, pool, 'alice'));
  assert.equal(response.status, 302);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  const callback = new URL(response.location);
  assert.equal(callback.origin + callback.pathname, CALLBACK);
  assert.deepEqual([...callback.searchParams.keys()], ['code', 'state']);
  assert.match(callback.searchParams.get('code')!, /^[0-9a-f-]{36}$/);
  assert.equal(callback.searchParams.get('state'), state);
  // The session cookie is set again, scoped to the pool's path.
  assert.match(response.setCookie ?? '', new RegExp(`^cognito=[^;]+; Path=/${pool.poolId}; HttpOnly; SameSite=Lax; Max-Age=\\d+$`));

  const tokens = await oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
  });
  assert.deepEqual(Object.keys(tokens).sort(), ['access_token', 'expires_in', 'id_token', 'refresh_token', 'token_type']);
  assert.equal(tokens.token_type, 'bearer');
  assert.equal(tokens.expires_in, 3600);
  const id = tokens.claims()!;
  assert.equal(id['nonce'], nonce);
  assert.equal(id['aud'], publicClient.id);
  assert.equal(id['token_use'], 'id');
  assert.equal(id['cognito:username'], 'alice');
  assert.equal(id['email'], 'alice@example.com');
  assert.equal(id['email_verified'], true);
  const expectedAtHash = createHash('sha256').update(tokens.access_token).digest().subarray(0, 16).toString('base64url');
  assert.equal(id['at_hash'], expectedAtHash);
  const access = decodePayload(tokens.access_token);
  assert.equal(access['scope'], 'openid email profile aws.cognito.signin.user.admin');
  assert.equal(access['client_id'], publicClient.id);
  assert.equal(access['username'], 'alice');
  assert.equal(access['origin_jti'], id['origin_jti']);

  // The granted API scope lets the access token call GetUser.
  const user = await server.anonymous.send(new GetUserCommand({ AccessToken: tokens.access_token }));
  assert.equal(user.Username, 'alice');

  // userInfo with the OIDC claims of the scopes asked (profile + email), values as strings.
  const info = await oidc.fetchUserInfo(config, tokens.access_token, id.sub);
  assert.deepEqual(info, { sub: id.sub, email_verified: 'true', name: 'Alice Liddell', email: 'alice@example.com', username: 'alice' });

  // Refresh without rotation: new ID and access tokens, no refresh token, same session.
  const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
  assert.deepEqual(Object.keys(refreshed).sort(), ['access_token', 'expires_in', 'id_token', 'token_type']);
  assert.equal(decodePayload(refreshed.access_token)['scope'], access['scope']);
  assert.equal(decodePayload(refreshed.id_token!)['origin_jti'], id['origin_jti']);

  await oidc.tokenRevocation(config, tokens.refresh_token!);
  const refused = await postForm(tokenUrl, {
    grant_type: 'refresh_token',
    client_id: publicClient.id,
    refresh_token: tokens.refresh_token!,
  });
  assert.equal(refused.status, 400);
  assert.deepEqual(refused.body, { error: 'invalid_grant' });
  // Access tokens of the revoked family are refused by userInfo and by the API.
  const info2 = await fetch(`${pool.issuer}/oauth2/userInfo`, { headers: { authorization: `Bearer ${refreshed.access_token}` } });
  assert.equal(info2.status, 401);
  const revoked = await captureError(() => server.anonymous.send(new GetUserCommand({ AccessToken: tokens.access_token })));
  assert.equal(revoked.message, 'Access Token has been revoked');
});

test('a confidential client authenticates with Basic; without its secret it is invalid_client', async () => {
  const code = await codeFor(confidential.id);
  const noSecret = await postForm(tokenUrl, { grant_type: 'authorization_code', client_id: confidential.id, code, redirect_uri: CALLBACK });
  assert.equal(noSecret.status, 400);
  assert.deepEqual(noSecret.body, { error: 'invalid_client' });

  const code2 = await codeFor(confidential.id);
  const ok = await postForm(
    tokenUrl,
    { grant_type: 'authorization_code', code: code2, redirect_uri: CALLBACK },
    basic(confidential.id, confidential.secret),
  );
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.headers.get('cache-control'), 'no-store');
  assert.deepEqual(Object.keys(ok.body), ['id_token', 'access_token', 'refresh_token', 'expires_in', 'token_type']);
  assert.equal(ok.body['token_type'], 'Bearer');
  assert.equal(decodePayload(ok.body['access_token'] as string)['scope'], 'openid');
  // Only openid: the ID token still carries every attribute the client may read, as Cognito's does.
  assert.equal(decodePayload(ok.body['id_token'] as string)['email'], 'alice@example.com');

  // openid-client with Basic works the same.
  const config = await discover(confidential.id, confidential.secret);
  const callback = await authorize({
    response_type: 'code',
    client_id: confidential.id,
    redirect_uri: CALLBACK,
    scope: 'openid',
    state: 's1',
  });
  const tokens = await oidc.authorizationCodeGrant(config, callback, { expectedState: 's1' });
  assert.ok(tokens.refresh_token);
});

test('a replayed code is invalid_grant and revokes the tokens the first exchange gave', async () => {
  const code = await codeFor(publicClient.id);
  const form = { grant_type: 'authorization_code', client_id: publicClient.id, code, redirect_uri: CALLBACK };
  const first = await postForm(tokenUrl, form);
  assert.equal(first.status, 200);
  const replay = await postForm(tokenUrl, form);
  assert.equal(replay.status, 400);
  assert.deepEqual(replay.body, { error: 'invalid_grant' });
  const refresh = await postForm(tokenUrl, {
    grant_type: 'refresh_token',
    client_id: publicClient.id,
    refresh_token: first.body['refresh_token'] as string,
  });
  assert.deepEqual(refresh.body, { error: 'invalid_grant' });
  const userInfo = await fetch(`${pool.issuer}/oauth2/userInfo`, {
    headers: { authorization: `Bearer ${first.body['access_token'] as string}` },
  });
  assert.equal(userInfo.status, 401);
});

test('two exchanges of one code at once: exactly one gets tokens', async () => {
  const code = await codeFor(publicClient.id);
  const form = { grant_type: 'authorization_code', client_id: publicClient.id, code, redirect_uri: CALLBACK };
  const results = await Promise.all([postForm(tokenUrl, form), postForm(tokenUrl, form), postForm(tokenUrl, form)]);
  assert.deepEqual(results.map((r) => r.status).sort(), [200, 400, 400]);
});

test('PKCE: a wrong or missing code_verifier fails, and spends the code', async () => {
  const verifier = oidc.randomPKCECodeVerifier();
  const challenge = await oidc.calculatePKCECodeChallenge(verifier);
  const pkce = { code_challenge: challenge, code_challenge_method: 'S256' };
  const code = await codeFor(publicClient.id, pkce);
  const base = { grant_type: 'authorization_code', client_id: publicClient.id, code, redirect_uri: CALLBACK };
  const wrong = await postForm(tokenUrl, { ...base, code_verifier: oidc.randomPKCECodeVerifier() });
  assert.deepEqual(wrong.body, { error: 'invalid_grant' });
  const right = await postForm(tokenUrl, { ...base, code_verifier: verifier });
  assert.deepEqual(right.body, { error: 'invalid_grant' }, 'the code was spent by the failed attempt');

  const code2 = await codeFor(publicClient.id, pkce);
  const missing = await postForm(tokenUrl, { ...base, code: code2 });
  assert.equal(missing.status, 400);
  assert.deepEqual(missing.body, { error: 'invalid_request' });

  const code3 = await codeFor(publicClient.id, pkce);
  const ok = await postForm(tokenUrl, { ...base, code: code3, code_verifier: verifier });
  assert.equal(ok.status, 200);
});

test('a code expires after five minutes, and is bound to its client and redirect URI', async () => {
  const base = { grant_type: 'authorization_code', client_id: publicClient.id, redirect_uri: CALLBACK };
  const code = await codeFor(publicClient.id);
  const late = await clock.travel(5 * 60_000 + 1000, () => postForm(tokenUrl, { ...base, code }));
  assert.equal(late.status, 400);
  assert.deepEqual(late.body, { error: 'invalid_grant' });

  const inTime = await codeFor(publicClient.id);
  const ok = await clock.travel(4 * 60_000, () => postForm(tokenUrl, { ...base, code: inTime }));
  assert.equal(ok.status, 200);

  const other = await codeFor(publicClient.id);
  const wrongClient = await postForm(
    tokenUrl,
    { grant_type: 'authorization_code', code: other, redirect_uri: CALLBACK },
    basic(confidential.id, confidential.secret),
  );
  assert.deepEqual(wrongClient.body, { error: 'invalid_grant' });

  const otherUri = await codeFor(publicClient.id);
  const wrongUri = await postForm(tokenUrl, { ...base, code: otherUri, redirect_uri: 'myapp://callback' });
  assert.deepEqual(wrongUri.body, { error: 'invalid_grant' });

  assert.deepEqual((await postForm(tokenUrl, { ...base, code: 'not-a-code' })).body, { error: 'invalid_grant' });
  assert.deepEqual((await postForm(tokenUrl, { grant_type: 'authorization_code', client_id: publicClient.id, code: 'x' })).body, {
    error: 'invalid_request',
  });
});

test('a code is refused at the very millisecond its five minutes end', async () => {
  const code = await codeFor(publicClient.id);
  const atExpiry = await clock.travel(5 * 60_000, () =>
    postForm(tokenUrl, { grant_type: 'authorization_code', client_id: publicClient.id, code, redirect_uri: CALLBACK }),
  );
  assert.deepEqual(atExpiry.body, { error: 'invalid_grant' });
});

test('PKCE: a malformed code_verifier is invalid_request and leaves the code unspent', async () => {
  const verifier = oidc.randomPKCECodeVerifier();
  const code = await codeFor(publicClient.id, {
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const base = { grant_type: 'authorization_code', client_id: publicClient.id, code, redirect_uri: CALLBACK };
  // RFC 7636 4.1: 43 to 128 unreserved characters.
  const malformed = await postForm(tokenUrl, { ...base, code_verifier: 'too short and spaced' });
  assert.equal(malformed.status, 400);
  assert.deepEqual(malformed.body, { error: 'invalid_request' });
  assert.equal((await postForm(tokenUrl, { ...base, code_verifier: verifier })).status, 200);
});

test('a code is refused once its user is disabled, signed out everywhere, or deleted and created again', async () => {
  const exchange = (code: string) =>
    postForm(tokenUrl, { grant_type: 'authorization_code', client_id: publicClient.id, code, redirect_uri: CALLBACK });
  const freshUser = async (username: string): Promise<string> => {
    await server.admin.send(
      new AdminCreateUserCommand({ UserPoolId: pool.poolId, Username: username, TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS' }),
    );
    await server.admin.send(
      new AdminSetUserPasswordCommand({ UserPoolId: pool.poolId, Username: username, Password: PASSWORD, Permanent: true }),
    );
    const callback = await authorize(
      { response_type: 'code', client_id: publicClient.id, redirect_uri: CALLBACK, scope: 'openid' },
      sessionCookie(server, pool, username),
    );
    return callback.searchParams.get('code')!;
  };

  const beforeDisable = await freshUser('code-disabled');
  await server.admin.send(new AdminDisableUserCommand({ UserPoolId: pool.poolId, Username: 'code-disabled' }));
  assert.deepEqual((await exchange(beforeDisable)).body, { error: 'invalid_grant' });

  const beforeSignOut = await freshUser('code-signed-out');
  await clock.travel(2000, async () => {
    await server.admin.send(new AdminUserGlobalSignOutCommand({ UserPoolId: pool.poolId, Username: 'code-signed-out' }));
    assert.deepEqual((await exchange(beforeSignOut)).body, { error: 'invalid_grant' });
  });

  const ofTheFirst = await freshUser('code-recreated');
  await clock.travel(2000, async () => {
    await server.admin.send(new AdminDeleteUserCommand({ UserPoolId: pool.poolId, Username: 'code-recreated' }));
    await server.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.poolId,
        Username: 'code-recreated',
        TemporaryPassword: PASSWORD,
        MessageAction: 'SUPPRESS',
      }),
    );
    assert.deepEqual((await exchange(ofTheFirst)).body, { error: 'invalid_grant' });
  });

  // The same steps without the change give tokens: the refusals above are the checks' alone.
  assert.equal((await exchange(await freshUser('code-unchanged'))).status, 200);
});

test('a client without the code flow is unauthorized_client at the token endpoint', async () => {
  const code = await codeFor(publicClient.id);
  await server.admin.send(
    new UpdateUserPoolClientCommand({ UserPoolId: pool.poolId, ClientId: publicClient.id, ...WEB_CLIENT, AllowedOAuthFlows: ['implicit'] }),
  );
  try {
    const response = await postForm(tokenUrl, {
      grant_type: 'authorization_code',
      client_id: publicClient.id,
      code,
      redirect_uri: CALLBACK,
    });
    assert.deepEqual(response.body, { error: 'unauthorized_client' });
  } finally {
    await server.admin.send(new UpdateUserPoolClientCommand({ UserPoolId: pool.poolId, ClientId: publicClient.id, ...WEB_CLIENT }));
  }
});

test('the implicit grant puts the tokens in the fragment, with no refresh token', async () => {
  const callback = await authorize({
    response_type: 'token',
    client_id: publicClient.id,
    redirect_uri: CALLBACK,
    scope: 'openid aws.cognito.signin.user.admin',
    state: 'st',
    nonce: 'n-1',
  });
  assert.equal(callback.search, '');
  const fragment = new URLSearchParams(callback.hash.slice(1));
  assert.deepEqual([...fragment.keys()], ['id_token', 'access_token', 'expires_in', 'token_type', 'state']);
  assert.equal(fragment.get('token_type'), 'Bearer');
  assert.equal(fragment.get('expires_in'), '3600');
  assert.equal(fragment.get('state'), 'st');
  const id = decodePayload(fragment.get('id_token')!);
  assert.equal(id['nonce'], 'n-1');
  assert.ok(id['at_hash']);
  assert.equal(decodePayload(fragment.get('access_token')!)['scope'], 'openid aws.cognito.signin.user.admin');

  const noOpenid = await authorize({
    response_type: 'token',
    client_id: publicClient.id,
    redirect_uri: CALLBACK,
    scope: 'aws.cognito.signin.user.admin',
  });
  assert.deepEqual([...new URLSearchParams(noOpenid.hash.slice(1)).keys()], ['access_token', 'expires_in', 'token_type']);
});

/** Signs alice in through InitiateAuth with `clientId`, then presents her refresh token at the token endpoint. */
async function refreshApiSession(clientId: string): Promise<Awaited<ReturnType<typeof postForm>>> {
  const signedIn = await server.anonymous.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'alice', PASSWORD } }),
  );
  return postForm(tokenUrl, {
    grant_type: 'refresh_token',
    client_id: clientId,
    refresh_token: signedIn.AuthenticationResult!.RefreshToken!,
  });
}

test('a client without OAuth flows cannot refresh at the token endpoint: unauthorized_client', async () => {
  const apiOnly = await createAppClient(server, pool.poolId, {
    ClientName: 'api',
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  });
  const refreshed = await refreshApiSession(apiOnly.id);
  assert.equal(refreshed.status, 400);
  assert.deepEqual(refreshed.body, { error: 'unauthorized_client' });
});

test('refresh at the token endpoint rotates when the client rotates, and takes API-flow tokens', async () => {
  const rotating = await createClient(server, pool.poolId, {
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
    RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
  });
  const code = await codeFor(rotating.id);
  const first = await postForm(tokenUrl, { grant_type: 'authorization_code', client_id: rotating.id, code, redirect_uri: CALLBACK });
  const rotated = await postForm(tokenUrl, {
    grant_type: 'refresh_token',
    client_id: rotating.id,
    refresh_token: first.body['refresh_token'] as string,
  });
  assert.equal(rotated.status, 200, rotated.text);
  assert.deepEqual(Object.keys(rotated.body), ['id_token', 'access_token', 'refresh_token', 'expires_in', 'token_type']);
  assert.notEqual(rotated.body['refresh_token'], first.body['refresh_token']);

  // A refresh token from InitiateAuth works here too, and gives an ID token.
  const fromApi = await refreshApiSession(publicClient.id);
  assert.deepEqual(Object.keys(fromApi.body), ['id_token', 'access_token', 'expires_in', 'token_type']);
  assert.equal(decodePayload(fromApi.body['access_token'] as string)['scope'], 'aws.cognito.signin.user.admin');

  // A session without openid gets no ID token on refresh either.
  await server.admin.send(
    new CreateResourceServerCommand({
      UserPoolId: pool.poolId,
      Identifier: 'shop',
      Name: 'Shop',
      Scopes: [{ ScopeName: 'read', ScopeDescription: 'read' }],
    }),
  );
  const shopper = await createClient(server, pool.poolId, { AllowedOAuthScopes: ['openid', 'shop/read'] });
  const noOpenid = await codeFor(shopper.id, { scope: 'shop/read' });
  const exchanged = await postForm(tokenUrl, {
    grant_type: 'authorization_code',
    client_id: shopper.id,
    code: noOpenid,
    redirect_uri: CALLBACK,
  });
  assert.deepEqual(Object.keys(exchanged.body), ['access_token', 'refresh_token', 'expires_in', 'token_type']);
  const again = await postForm(tokenUrl, {
    grant_type: 'refresh_token',
    client_id: shopper.id,
    refresh_token: exchanged.body['refresh_token'] as string,
  });
  assert.deepEqual(Object.keys(again.body), ['access_token', 'expires_in', 'token_type']);

  assert.deepEqual((await postForm(tokenUrl, { grant_type: 'refresh_token', client_id: publicClient.id })).body, {
    error: 'invalid_request',
  });
  assert.deepEqual((await postForm(tokenUrl, { grant_type: 'refresh_token', client_id: publicClient.id, refresh_token: 'nope' })).body, {
    error: 'invalid_grant',
  });
});
