import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import {
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminUserGlobalSignOutCommand,
  CreateUserPoolDomainCommand,
  DeleteUserPoolCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../support/server.js';
import type { FrozenClock } from '../../src/lib/clock.js';
import {
  CALLBACK,
  LOGOUT,
  PASSWORD,
  basic,
  createClient,
  createConfirmedUser,
  createOAuthPool,
  getManual,
  postForm,
  sessionCookie,
  startOAuthServer,
  type OAuthPool,
} from './helpers.js';

let server: TestServer;
let clock: FrozenClock;
let pool: OAuthPool;
let client: { id: string; secret: string };

before(async () => {
  ({ server, clock, pool } = await startOAuthServer());
  client = await createClient(server, pool.poolId);
});
after(() => server.stop());

function authorizeUrl(params: Record<string, string>): string {
  return `${pool.issuer}/oauth2/authorize?${new URLSearchParams(params).toString()}`;
}

const CODE = (): Record<string, string> => ({ response_type: 'code', client_id: client.id, redirect_uri: CALLBACK });

test('the discovery document lists the OAuth endpoints under the pool path', async () => {
  const response = await fetch(`${pool.issuer}/.well-known/openid-configuration`);
  assert.deepEqual(await response.json(), {
    authorization_endpoint: `${pool.issuer}/oauth2/authorize`,
    end_session_endpoint: `${pool.issuer}/logout`,
    id_token_signing_alg_values_supported: ['RS256'],
    issuer: pool.issuer,
    jwks_uri: `${pool.issuer}/.well-known/jwks.json`,
    response_types_supported: ['code', 'token'],
    revocation_endpoint: `${pool.issuer}/oauth2/revoke`,
    scopes_supported: ['openid', 'email', 'phone', 'profile'],
    subject_types_supported: ['public'],
    token_endpoint: `${pool.issuer}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    userinfo_endpoint: `${pool.issuer}/oauth2/userInfo`,
  });
});

test('without a session, authorize sends the browser to /login with the request', async () => {
  const response = await getManual(authorizeUrl({ ...CODE(), state: 'abc', lang: 'fr', nonce: 'n' }));
  assert.equal(response.status, 302);
  const login = new URL(response.location);
  assert.equal(login.origin + login.pathname, `${pool.issuer}/login`);
  assert.deepEqual(Object.fromEntries(login.searchParams), {
    client_id: client.id,
    redirect_uri: CALLBACK,
    response_type: 'code',
    scope: 'openid email phone profile aws.cognito.signin.user.admin',
    state: 'abc',
    nonce: 'n',
    lang: 'fr',
  });
});

test('prompt=none without a session is login_required at the redirect URI; prompt=login ignores the session', async () => {
  const none = await getManual(authorizeUrl({ ...CODE(), prompt: 'none', state: 's' }));
  assert.equal(none.location, `${CALLBACK}?error=login_required&state=s`);
  const implicit = await getManual(authorizeUrl({ ...CODE(), response_type: 'token', prompt: 'none', state: 's' }));
  assert.equal(implicit.location, `${CALLBACK}#error=login_required&state=s`);

  const withSession = await getManual(authorizeUrl({ ...CODE(), prompt: 'none' }), sessionCookie(server, pool, 'alice'));
  assert.match(withSession.location, /^https:\/\/app\.example\.com\/callback\?code=/);
  const login = await getManual(authorizeUrl({ ...CODE(), prompt: 'login' }), sessionCookie(server, pool, 'alice'));
  assert.ok(login.location.startsWith(`${pool.issuer}/login?`));
});

test('an unknown client or an unregistered redirect URI gets the error page, never a redirect to the client', async () => {
  const unknown = await getManual(authorizeUrl({ ...CODE(), client_id: 'nosuchclient' }));
  assert.equal(unknown.status, 302);
  assert.equal(unknown.location, `${pool.issuer}/error?error=invalid_request&client_id=nosuchclient`);
  const noClient = await getManual(authorizeUrl({ response_type: 'code', redirect_uri: CALLBACK }));
  assert.equal(noClient.location, `${pool.issuer}/error?error=invalid_request`);

  for (const redirect of ['https://evil.example.com/callback', `${CALLBACK}/`, 'https://APP.example.com/callback', '']) {
    const response = await getManual(authorizeUrl({ ...CODE(), redirect_uri: redirect }), sessionCookie(server, pool, 'alice'));
    assert.equal(response.status, 302);
    assert.equal(response.location, `${pool.issuer}/error?error=redirect_mismatch&client_id=${client.id}`);
    assert.equal(response.setCookie, null);
  }
  const missing = await getManual(authorizeUrl({ response_type: 'code', client_id: client.id }));
  assert.equal(missing.location, `${pool.issuer}/error?error=redirect_mismatch&client_id=${client.id}`);

  const page = await getManual(`${pool.issuer}/error?error=${encodeURIComponent('<script>alert(1)</script>')}`);
  assert.equal(page.status, 400);
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(page.body, /An error was encountered with the requested page\./);
  assert.ok(!page.body.includes('<script>'));
  assert.ok(page.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
});

test('request errors go back to the registered redirect URI with the state', async () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ scope: 'openid shop/read' }, 'invalid_scope'],
    [{ scope: 'email' }, 'invalid_scope'],
    [{ scope: 'profile aws.cognito.signin.user.admin' }, 'invalid_scope'],
    [{ code_challenge_method: 'plain', code_challenge: 'a'.repeat(43) }, 'invalid_request'],
    [{ code_challenge: 'a'.repeat(43) }, 'invalid_request'],
    [{ code_challenge_method: 'S256' }, 'invalid_request'],
    [{ code_challenge_method: 'S256', code_challenge: 'short' }, 'invalid_request'],
    [{ response_type: '' }, 'invalid_request'],
    [{ response_type: 'id_token' }, 'unsupported_response_type'],
  ];
  for (const [params, error] of cases) {
    const response = await getManual(authorizeUrl({ ...CODE(), state: 'xyz', ...params }), sessionCookie(server, pool, 'alice'));
    assert.equal(response.status, 302);
    assert.equal(response.location, `${CALLBACK}?error=${error}&state=xyz`, JSON.stringify(params));
  }
  const twice = await getManual(`${authorizeUrl({ ...CODE(), state: 'xyz' })}&scope=openid&scope=email`);
  assert.equal(twice.location, `${CALLBACK}?error=invalid_request&state=xyz`);

  const codeOnly = await createClient(server, pool.poolId, { AllowedOAuthFlows: ['code'] });
  const implicit = await getManual(authorizeUrl({ ...CODE(), client_id: codeOnly.id, response_type: 'token' }));
  assert.equal(implicit.location, `${CALLBACK}#error=unauthorized_client`);

  const notOAuth = await createClient(server, pool.poolId, {
    AllowedOAuthFlowsUserPoolClient: false,
    AllowedOAuthFlows: [],
    AllowedOAuthScopes: [],
  });
  const refused = await getManual(authorizeUrl({ ...CODE(), client_id: notOAuth.id }));
  assert.equal(refused.location, `${CALLBACK}?error=unauthorized_client`);

  const unsupportedIdp = await getManual(authorizeUrl({ ...CODE(), identity_provider: 'Google' }));
  assert.equal(unsupportedIdp.location, `${CALLBACK}?error=invalid_request`);

  // A redirect URI with a query keeps it.
  const withQuery = await createClient(server, pool.poolId, { CallbackURLs: ['https://app.example.com/cb?tenant=1'] });
  const response = await getManual(
    authorizeUrl({ ...CODE(), client_id: withQuery.id, redirect_uri: 'https://app.example.com/cb?tenant=1', scope: 'x' }),
  );
  assert.equal(response.location, 'https://app.example.com/cb?tenant=1&error=invalid_scope');
});

test('the session ends with a global sign-out, a disabled user, or after an hour', async () => {
  // A user of its own: this test disables and signs out its user, which no other test may see.
  const username = 'session-ender';
  await createConfirmedUser(server, pool.poolId, username, PASSWORD, { email: 'ender@example.com', email_verified: 'true' });
  const cookie = sessionCookie(server, pool, username);
  const signedIn = await getManual(authorizeUrl(CODE()), cookie);
  assert.ok(signedIn.location.startsWith(`${CALLBACK}?code=`));

  const expired = await clock.travel(3_600_000, () => getManual(authorizeUrl(CODE()), cookie));
  assert.ok(expired.location.startsWith(`${pool.issuer}/login?`));

  await server.admin.send(new AdminDisableUserCommand({ UserPoolId: pool.poolId, Username: username }));
  const disabled = await getManual(authorizeUrl(CODE()), cookie);
  assert.ok(disabled.location.startsWith(`${pool.issuer}/login?`));
  await server.admin.send(new AdminEnableUserCommand({ UserPoolId: pool.poolId, Username: username }));

  // Moved forward for this test only: the sign-out comes after the cookie's sign-in, a new sign-in after both.
  await clock.travel(1000, async () => {
    await server.admin.send(new AdminUserGlobalSignOutCommand({ UserPoolId: pool.poolId, Username: username }));
    const signedOut = await getManual(authorizeUrl(CODE()), cookie);
    assert.ok(signedOut.location.startsWith(`${pool.issuer}/login?`));
    clock.advance(1000);
    const fresh = await getManual(authorizeUrl(CODE()), sessionCookie(server, pool, username));
    assert.ok(fresh.location.startsWith(`${CALLBACK}?code=`));
  });

  // A cookie sealed for another pool, or tampered with, is no session.
  const other = await createOAuthPool(server);
  const foreign = sessionCookie(server, other, 'alice');
  assert.ok((await getManual(authorizeUrl(CODE()), foreign)).location.startsWith(`${pool.issuer}/login?`));
  assert.ok((await getManual(authorizeUrl(CODE()), `${cookie}x`)).location.startsWith(`${pool.issuer}/login?`));
});

test('logout clears the session and returns to a registered sign-out URL, or to /login', async () => {
  const cookie = sessionCookie(server, pool, 'alice');
  const out = await getManual(
    `${pool.issuer}/logout?${new URLSearchParams({ client_id: client.id, logout_uri: LOGOUT }).toString()}`,
    cookie,
  );
  assert.equal(out.status, 302);
  assert.equal(out.location, LOGOUT);
  assert.equal(out.setCookie, `cognito=; Path=/${pool.poolId}; HttpOnly; SameSite=Lax; Max-Age=0`);

  const relogin = await getManual(`${pool.issuer}/logout?${new URLSearchParams({ ...CODE(), state: 'q' }).toString()}`, cookie);
  assert.ok(relogin.location.startsWith(`${pool.issuer}/login?`));
  assert.equal(new URL(relogin.location).searchParams.get('state'), 'q');
  assert.match(relogin.setCookie ?? '', /Max-Age=0/);

  const bad = await getManual(
    `${pool.issuer}/logout?${new URLSearchParams({ client_id: client.id, logout_uri: 'https://evil.example.com/' }).toString()}`,
  );
  assert.equal(bad.location, `${pool.issuer}/error?error=redirect_mismatch&client_id=${client.id}`);
  const unknown = await getManual(`${pool.issuer}/logout?${new URLSearchParams({ client_id: 'nobody', logout_uri: LOGOUT }).toString()}`);
  assert.equal(unknown.location, `${pool.issuer}/error?error=invalid_request&client_id=nobody`);
  const neither = await getManual(`${pool.issuer}/logout?client_id=${client.id}`);
  assert.equal(neither.location, `${pool.issuer}/error?error=invalid_request&client_id=${client.id}`);
  const badRedirect = await getManual(
    `${pool.issuer}/logout?${new URLSearchParams({ ...CODE(), redirect_uri: 'https://evil.example.com/' }).toString()}`,
  );
  assert.equal(badRedirect.location, `${pool.issuer}/error?error=redirect_mismatch&client_id=${client.id}`);
});

test('userInfo: claims by scope as strings, openid required, Bearer errors', async () => {
  const tokenUrl = `${pool.issuer}/oauth2/token`;
  const exchange = async (scope: string): Promise<string> => {
    const location = (await getManual(authorizeUrl({ ...CODE(), scope }), sessionCookie(server, pool, 'alice'))).location;
    const code = new URL(location).searchParams.get('code')!;
    const tokens = await postForm(tokenUrl, { grant_type: 'authorization_code', client_id: client.id, code, redirect_uri: CALLBACK });
    return tokens.body['access_token'] as string;
  };
  const user = (await server.services.store.users.get(pool.poolId, 'alice'))!;
  const all = await fetch(`${pool.issuer}/oauth2/userInfo`, { headers: { authorization: `Bearer ${await exchange('openid')}` } });
  assert.equal(all.status, 200);
  assert.equal(all.headers.get('cache-control'), 'no-cache, no-store, max-age=0, must-revalidate');
  assert.deepEqual(await all.json(), {
    sub: user.sub,
    email: 'alice@example.com',
    email_verified: 'true',
    name: 'Alice Liddell',
    phone_number: '+15555550100',
    username: 'alice',
  });
  const emailOnly = await fetch(`${pool.issuer}/oauth2/userInfo`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await exchange('openid email')}` },
  });
  assert.deepEqual(await emailOnly.json(), { sub: user.sub, email: 'alice@example.com', email_verified: 'true', username: 'alice' });

  const noOpenid = await fetch(`${pool.issuer}/oauth2/userInfo`, {
    headers: { authorization: `Bearer ${await exchange('aws.cognito.signin.user.admin')}` },
  });
  assert.equal(noOpenid.status, 401);
  assert.equal(
    noOpenid.headers.get('www-authenticate'),
    'Bearer error="invalid_token", error_description="Access token is expired, disabled, or deleted, or the user has globally signed out."',
  );
  const api = await server.anonymous.send(
    new InitiateAuthCommand({ ClientId: client.id, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'alice', PASSWORD } }),
  );
  const apiToken = await fetch(`${pool.issuer}/oauth2/userInfo`, {
    headers: { authorization: `Bearer ${api.AuthenticationResult!.AccessToken!}` },
  });
  assert.equal(apiToken.status, 401);
  const garbage = await fetch(`${pool.issuer}/oauth2/userInfo`, { headers: { authorization: 'Bearer not.a.token' } });
  assert.equal(garbage.status, 401);
  const missing = await fetch(`${pool.issuer}/oauth2/userInfo`);
  assert.equal(missing.status, 400);
  assert.equal(
    missing.headers.get('www-authenticate'),
    'Bearer error="invalid_request", error_description="Bad OAuth2 request at UserInfo Endpoint"',
  );
  const token = await exchange('openid');
  const expired = await clock.travel(3_600_000, () =>
    fetch(`${pool.issuer}/oauth2/userInfo`, { headers: { authorization: `Bearer ${token}` } }),
  );
  assert.equal(expired.status, 401);
  assert.deepEqual(await expired.json(), {
    error: 'invalid_token',
    error_description: 'Access token is expired, disabled, or deleted, or the user has globally signed out.',
  });
});

test('revoke: Cognito errors for bad requests and clients', async () => {
  const revokeUrl = `${pool.issuer}/oauth2/revoke`;
  const confidential = await createClient(server, pool.poolId, { GenerateSecret: true });
  assert.deepEqual(await postForm(revokeUrl, { client_id: client.id }).then((r) => [r.status, r.body]), [
    400,
    { error: 'invalid_request' },
  ]);
  assert.deepEqual(await postForm(revokeUrl, { client_id: client.id, token: 'a.b.c' }).then((r) => [r.status, r.body]), [
    400,
    { error: 'unsupported_token_type' },
  ]);
  const unknown = await postForm(revokeUrl, { client_id: client.id, token: 'unknown-token' });
  assert.equal(unknown.status, 200);
  assert.equal(unknown.text, '');
  assert.deepEqual(await postForm(revokeUrl, { client_id: 'nobody', token: 'x' }).then((r) => [r.status, r.body]), [
    401,
    { error: 'invalid_client' },
  ]);
  assert.deepEqual(await postForm(revokeUrl, { token: 'x' }, basic(confidential.id, 'wrong')).then((r) => [r.status, r.body]), [
    401,
    { error: 'invalid_client' },
  ]);
  const disabled = await createClient(server, pool.poolId, { EnableTokenRevocation: false });
  assert.deepEqual(await postForm(revokeUrl, { client_id: disabled.id, token: 'x' }).then((r) => [r.status, r.body]), [
    400,
    { error: 'invalid_request' },
  ]);
});

test('a prefix domain reached by Host serves the pool, with URLs on that host', async () => {
  await server.admin.send(new CreateUserPoolDomainCommand({ UserPoolId: pool.poolId, Domain: 'oauth-app' }));
  const port = new URL(server.url).port;
  const host = `oauth-app.auth.localhost:${port}`;
  const query = new URLSearchParams(CODE()).toString();
  const response = await new Promise<{ status: number; location: string }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: `/oauth2/authorize?${query}`, headers: { host } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, location: String(res.headers.location ?? '') });
    });
    req.on('error', reject);
    req.end();
  });
  assert.equal(response.status, 302);
  assert.ok(response.location.startsWith(`http://${host}/login?`), response.location);
});

test('deleting the pool deletes its authorization codes', async () => {
  const other = await createOAuthPool(server);
  const otherClient = await createClient(server, other.poolId);
  const location = (
    await getManual(
      `${other.issuer}/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: otherClient.id, redirect_uri: CALLBACK }).toString()}`,
      sessionCookie(server, other, 'alice'),
    )
  ).location;
  const code = new URL(location).searchParams.get('code')!;
  const { sha256Hex } = await import('../../src/crypto/compare.js');
  assert.ok(await server.services.store.authorizationCodes.get(sha256Hex(code)));
  await server.admin.send(new DeleteUserPoolCommand({ UserPoolId: other.poolId }));
  assert.equal(await server.services.store.authorizationCodes.get(sha256Hex(code)), undefined);
});
