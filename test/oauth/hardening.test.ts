import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CreateUserPoolDomainCommand } from '@aws-sdk/client-cognito-identity-provider';
import * as oidc from 'openid-client';
import { startTestServer, type TestServer } from '../support/server.js';
import { FrozenClock } from '../../src/lib/clock.js';
import {
  CALLBACK,
  LOGOUT,
  PASSWORD,
  createClient,
  createOAuthPool,
  getManual,
  getWithHeaders,
  postForm,
  sessionCookie,
  startOAuthServer,
  type OAuthPool,
} from './helpers.js';

// Issue #18, item 8: the attacks of RFC 9700 on the OAuth endpoints, made over HTTP.

let server: TestServer;
let clock: FrozenClock;
let pool: OAuthPool;
let client: { id: string; secret: string };
let tokenUrl: string;

before(async () => {
  ({ server, clock, pool } = await startOAuthServer());
  client = await createClient(server, pool.poolId);
  tokenUrl = `${pool.issuer}/oauth2/token`;
});
after(() => server.stop());

/** A code for alice from /oauth2/authorize, on a session cookie. */
async function codeFor(clientId: string, extra: Record<string, string> = {}): Promise<string> {
  const query = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, scope: 'openid', ...extra });
  const response = await getManual(`${pool.issuer}/oauth2/authorize?${query.toString()}`, sessionCookie(server, pool, 'alice'));
  assert.equal(response.status, 302, response.body);
  const code = new URL(response.location).searchParams.get('code');
  assert.ok(code, response.location);
  return code;
}

test('PKCE downgrade: a code issued without code_challenge is refused when a code_verifier comes with it (RFC 9700 2.1.1)', async () => {
  const exchange = { grant_type: 'authorization_code', client_id: client.id, redirect_uri: CALLBACK };
  const code = await codeFor(client.id);
  const downgraded = await postForm(tokenUrl, { ...exchange, code, code_verifier: oidc.randomPKCECodeVerifier() });
  assert.equal(downgraded.status, 400);
  assert.deepEqual(downgraded.body, { error: 'invalid_grant' });
  // The refused attempt spent the code.
  assert.deepEqual((await postForm(tokenUrl, { ...exchange, code })).body, { error: 'invalid_grant' });

  // Without PKCE on either side, and with it on both, the exchange works.
  assert.equal((await postForm(tokenUrl, { ...exchange, code: await codeFor(client.id) })).status, 200);
  const verifier = oidc.randomPKCECodeVerifier();
  const challenge = { code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' };
  const withPkce = await postForm(tokenUrl, { ...exchange, code: await codeFor(client.id, challenge), code_verifier: verifier });
  assert.equal(withPkce.status, 200, withPkce.text);
});

test('refresh_token grant: a rotated-out token used after the grace period revokes its family (RFC 9700 4.14.2)', async () => {
  const rotating = await createClient(server, pool.poolId, { RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 5 } });
  const exchanged = await postForm(tokenUrl, {
    grant_type: 'authorization_code',
    client_id: rotating.id,
    code: await codeFor(rotating.id),
    redirect_uri: CALLBACK,
  });
  assert.equal(exchanged.status, 200, exchanged.text);
  const refresh = (token: unknown) =>
    postForm(tokenUrl, { grant_type: 'refresh_token', client_id: rotating.id, refresh_token: String(token) });
  const second = await refresh(exchanged.body['refresh_token']);
  assert.equal(second.status, 200, second.text);
  // A client's retry inside the grace period is no attack.
  assert.equal((await clock.travel(4_000, () => refresh(exchanged.body['refresh_token']))).status, 200);

  const reused = await clock.travel(5_000, () => refresh(exchanged.body['refresh_token']));
  assert.equal(reused.status, 400);
  assert.deepEqual(reused.body, { error: 'invalid_grant' });
  // The thief's successor and the tokens it came with are dead too.
  assert.deepEqual((await refresh(second.body['refresh_token'])).body, { error: 'invalid_grant' });
  const userInfo = await fetch(`${pool.issuer}/oauth2/userInfo`, {
    headers: { authorization: `Bearer ${String(second.body['access_token'])}` },
  });
  assert.equal(userInfo.status, 401);
});

/** The `cognito` session cookie a response sets, as a `Cookie` header value. */
function sessionFrom(headers: Headers): string {
  const set = headers.getSetCookie().find((cookie) => cookie.startsWith('cognito='));
  assert.ok(set, `no session cookie in ${JSON.stringify(headers.getSetCookie())}`);
  return set.split(';')[0]!;
}

test('logout ends the session on the server: a kept copy of the cookie gets no code, on any node', async () => {
  // Two nodes over one database and master key, as behind a load balancer.
  const nodeClock = FrozenClock.atNow();
  const masterKey = randomBytes(32).toString('base64');
  const a = await startTestServer({ masterKey }, { clock: nodeClock });
  const b = await startTestServer({ masterKey, databaseUrl: a.services.config.databaseUrl }, { clock: nodeClock });
  try {
    const shared = await createOAuthPool(a);
    const web = await createClient(a, shared.poolId);
    const query = new URLSearchParams({ response_type: 'code', client_id: web.id, redirect_uri: CALLBACK, scope: 'openid' }).toString();
    const on = (node: TestServer, path: string): string => `${node.url}/${shared.poolId}${path}`;

    // Alice signs in on node A's sign-in page.
    const csrf = randomBytes(32).toString('base64url');
    const signIn = await postForm(`${on(a, '/login')}?${query}`, { _csrf: csrf, username: 'alice', password: PASSWORD }, undefined, {
      redirect: 'manual',
      cookie: `cognate-csrf=${csrf}`,
    });
    assert.equal(signIn.status, 302, signIn.text);
    assert.ok(signIn.headers.get('location')?.startsWith(`${CALLBACK}?code=`));
    const first = sessionFrom(signIn.headers);

    // Node B knows the session, and sets the cookie again.
    const silent = await getManual(`${on(b, '/oauth2/authorize')}?${query}`, first);
    assert.ok(silent.location.startsWith(`${CALLBACK}?code=`), silent.location);
    const second = sessionFrom(silent.headers);

    const out = await getManual(`${on(a, '/logout')}?${new URLSearchParams({ client_id: web.id, logout_uri: LOGOUT }).toString()}`, second);
    assert.equal(out.location, LOGOUT);

    // Neither copy of the cookie is a session any more, on either node.
    for (const node of [a, b]) {
      for (const cookie of [first, second]) {
        const replay = await getManual(`${on(node, '/oauth2/authorize')}?${query}`, cookie);
        assert.ok(replay.location.startsWith(`${on(node, '/login')}?`), `${node.url} ${replay.location}`);
        const page = await getManual(`${on(node, '/login')}?${query}`, cookie);
        assert.equal(page.status, 200, 'the sign-in page is shown, not skipped');
      }
    }

    // Signing in again starts a new session.
    const again = await postForm(`${on(b, '/login')}?${query}`, { _csrf: csrf, username: 'alice', password: PASSWORD }, undefined, {
      redirect: 'manual',
      cookie: `cognate-csrf=${csrf}`,
    });
    const fresh = await getManual(`${on(a, '/oauth2/authorize')}?${query}`, sessionFrom(again.headers));
    assert.ok(fresh.location.startsWith(`${CALLBACK}?code=`), fresh.location);
  } finally {
    await b.stop();
    await a.stop();
  }
});

/** A GET to `target` with this exact `Host` header. */
async function getWithHost(
  target: TestServer,
  path: string,
  host: string,
): Promise<{ status: number; location: string | undefined; body: string }> {
  const answer = await getWithHeaders(target, path, { host });
  return { status: answer.status, location: answer.headers.location, body: answer.body };
}

test('Host: only the public host, prefix domains and stored custom domains are served; anything else is refused, never reflected', async () => {
  await server.admin.send(new CreateUserPoolDomainCommand({ UserPoolId: pool.poolId, Domain: 'harden-app' }));
  await server.admin.send(
    new CreateUserPoolDomainCommand({
      UserPoolId: pool.poolId,
      Domain: 'login.harden.example',
      CustomDomainConfig: { CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/a1b2c3d4-5678-90ab-cdef-EXAMPLE22222' },
    }),
  );
  const port = new URL(server.url).port;
  const query = new URLSearchParams({ response_type: 'code', client_id: client.id, redirect_uri: CALLBACK }).toString();
  const byHost = `/oauth2/authorize?${query}`;
  const byPath = `/${pool.poolId}/oauth2/authorize?${query}`;

  // The known forms: links stay on the host the browser used.
  const prefix = await getWithHost(server, byHost, `harden-app.auth.localhost:${port}`);
  assert.equal(prefix.status, 302);
  assert.ok(prefix.location?.startsWith(`http://harden-app.auth.localhost:${port}/login?`), prefix.location);
  const custom = await getWithHost(server, byHost, 'login.harden.example');
  assert.ok(custom.location?.startsWith('http://login.harden.example/login?'), custom.location);
  const own = await getWithHost(server, byPath, new URL(server.url).host);
  assert.ok(own.location?.startsWith(`${pool.issuer}/login?`), own.location);
  // Another loopback name of a loopback public URL reaches the path form; its links use the public URL.
  const loopback = await getWithHost(server, byPath, `localhost:${port}`);
  assert.ok(loopback.location?.startsWith(`${pool.issuer}/login?`), loopback.location);

  // Userinfo, paths, spaces or a second host smuggled into Host: 400, and the host is not echoed.
  for (const host of [
    `harden-app.auth.localhost:${port}@evil.example`,
    'login.harden.example@evil.example',
    `harden-app.auth.localhost:${port}/evil.example`,
    'evil.example\\harden-app.auth.localhost',
    `harden-app.auth.localhost:${port}#evil.example`,
    `harden-app.auth.localhost:x`,
  ]) {
    for (const path of [byHost, byPath]) {
      const refused = await getWithHost(server, path, host);
      assert.equal(refused.status, 400, `${host} ${path}: ${refused.status} ${refused.location ?? ''}`);
      assert.equal(refused.location, undefined, host);
      assert.doesNotMatch(refused.body, /evil/, host);
    }
  }
  // A well-formed host that is none of ours: 404 on every form.
  for (const host of ['evil.example', `evil.example:${port}`, `nobody.auth.localhost:${port}`, 'auth.localhost']) {
    for (const path of [byHost, byPath, `/${pool.poolId}/login?${query}`]) {
      const unknown = await getWithHost(server, path, host);
      assert.equal(unknown.status, 404, `${host} ${path}: ${unknown.status} ${unknown.location ?? ''}`);
      assert.equal(unknown.location, undefined, host);
      assert.doesNotMatch(unknown.body, /evil/, host);
    }
  }
});
