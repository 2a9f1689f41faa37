import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import type { TestServer } from '../support/server.js';
import type { FrozenClock } from '../../src/lib/clock.js';
import { CALLBACK, createClient, getManual, postForm, sessionCookie, startOAuthServer, type OAuthPool } from './helpers.js';

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
