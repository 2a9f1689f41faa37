import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { compactVerify, decodeProtectedHeader } from 'jose';
import { serverForTests, type TestServer } from '../support/server.js';
import { UpstreamError } from '../../src/oauth/federation/upstream.js';
import {
  FakeUpstream,
  assertSignedIn,
  federationPool,
  refusal,
  startFederatedSignIn,
  type FederationSetup,
  type StartedSignIn,
} from './fake-upstream.js';
import { decodePayload } from './helpers.js';

/*
 * Cognate's side of the upstream token endpoint (RFC 6749 §4.1.3, OIDC Core §3.1.3): what it sends
 * (client authentication, PKCE verifier, Facebook's GET, Sign in with Apple's signed client secret)
 * and what it makes of each kind of answer, seen through /oauth2/authorize → upstream →
 * /oauth2/idpresponse → the app's callback.
 */

let server: TestServer;
const clock = serverForTests((started) => (server = started));
let upstream: FakeUpstream;

before(async () => {
  upstream = await FakeUpstream.start();
});
after(() => upstream.close());

/** A token answer with an ID token for `sub`, for this sign-in, from this provider's client. */
async function tokens(details: Record<string, string>, started: StartedSignIn, sub: string): Promise<Record<string, string>> {
  const idToken = await upstream.idToken(clock.now(), {
    sub,
    aud: details['client_id']!,
    nonce: started.nonce,
    email: `${sub}@upstream.example`,
  });
  return { access_token: `access-${sub}`, token_type: 'Bearer', id_token: idToken };
}

/** An OIDC provider under `prefix` whose user info endpoint adds nothing to the ID token. */
async function oidcProvider(prefix: string, overrides: Record<string, string | undefined> = {}) {
  const details = upstream.oidcDetails(prefix, overrides);
  upstream.on(`${prefix}/userinfo`, { json: {} });
  const setup = await federationPool(server, { name: `Idp${prefix.replace(/\W/g, '')}`, type: 'OIDC', details });
  return { details, setup };
}

/** The form of a recorded request body. */
function form(body: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body));
}

async function email(setup: FederationSetup, username: string): Promise<string | undefined> {
  const user = await server.admin.send(new AdminGetUserCommand({ UserPoolId: setup.pool.poolId, Username: username }));
  return user.UserAttributes?.find((attribute) => attribute.Name === 'email')?.Value;
}

test('the code is exchanged by POST with client_secret_post and the PKCE verifier of the challenge sent', async () => {
  const { details, setup } = await oidcProvider('/post');
  const started = await startFederatedSignIn(setup);
  upstream.on('/post/token', { json: await tokens(details, started, 'ann') });
  assertSignedIn(await started.finish('code-ann'));

  const [request, ...more] = upstream.requestsTo('/post/token');
  assert.equal(more.length, 0);
  assert.equal(request!.method, 'POST');
  assert.equal(request!.headers['accept'], 'application/json');
  assert.equal(request!.headers['content-type'], 'application/x-www-form-urlencoded');
  assert.equal(request!.headers['authorization'], undefined);
  const sent = form(request!.body);
  assert.deepEqual(Object.keys(sent), ['grant_type', 'code', 'redirect_uri', 'code_verifier', 'client_id', 'client_secret']);
  assert.equal(sent['grant_type'], 'authorization_code');
  assert.equal(sent['code'], 'code-ann');
  assert.equal(sent['redirect_uri'], `${setup.pool.site.baseUrl}/oauth2/idpresponse`);
  assert.equal(sent['client_id'], 'cognate-post');
  assert.equal(sent['client_secret'], 'upstream-client-secret');
  const challenge = createHash('sha256').update(sent['code_verifier']!).digest('base64url');
  assert.equal(challenge, started.upstreamAuthorize.searchParams.get('code_challenge'));
  assert.equal(await email(setup, 'idppost_ann'), 'ann@upstream.example');
});

test('an upstream that refuses the form with invalid_client gets one retry with HTTP Basic, each part form-encoded', async () => {
  const secret = 'p@ss:w/rd+1 ü';
  const { details, setup } = await oidcProvider('/basic', { client_id: 'basic client', client_secret: secret });
  const started = await startFederatedSignIn(setup);
  const answer = await tokens(details, started, 'bob');
  upstream.on('/basic/token', (request) =>
    request.headers['authorization'] === undefined ? { status: 401, json: { error: 'invalid_client' } } : { json: answer },
  );
  assertSignedIn(await started.finish());

  const [first, second, ...more] = upstream.requestsTo('/basic/token');
  assert.equal(more.length, 0);
  assert.equal(first!.headers['authorization'], undefined);
  assert.equal(form(first!.body)['client_secret'], secret);
  const credentials = `${encodeURIComponent('basic client')}:${encodeURIComponent(secret)}`;
  assert.equal(second!.headers['authorization'], `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`);
  assert.equal(second!.method, 'POST');
  assert.equal(second!.headers['accept'], 'application/json');
  // With Basic, the client's credentials are not in the form too (RFC 6749 §2.3.1).
  assert.deepEqual(Object.keys(form(second!.body)), ['grant_type', 'code', 'redirect_uri', 'code_verifier']);
  assert.equal(await email(setup, 'idpbasic_bob'), 'bob@upstream.example');
});

test('a public client sends only its client_id and, refused with invalid_client, is not retried', async () => {
  const { setup } = await oidcProvider('/public', { client_secret: undefined });
  const started = await startFederatedSignIn(setup);
  upstream.on('/public/token', { status: 401, json: { error: 'invalid_client' } });
  assert.deepEqual(await started.finish(), refusal('Error exchanging the authorization code at the identity provider: invalid_client'));

  const [request, ...more] = upstream.requestsTo('/public/token');
  assert.equal(more.length, 0);
  assert.equal(request!.headers['authorization'], undefined);
  assert.deepEqual(Object.keys(form(request!.body)), ['grant_type', 'code', 'redirect_uri', 'code_verifier', 'client_id']);
});

test('a public client signs in with the client_id alone', async () => {
  const { details, setup } = await oidcProvider('/public-ok', { client_secret: undefined });
  const started = await startFederatedSignIn(setup);
  upstream.on('/public-ok/token', { json: await tokens(details, started, 'pat') });
  assertSignedIn(await started.finish());
  assert.equal(form(upstream.requestsTo('/public-ok/token')[0]!.body)['client_id'], 'cognate-public-ok');
});

test('other token errors are not retried: the upstream error code is passed on, else the HTTP status', async () => {
  const { setup } = await oidcProvider('/errors');
  const cases: Array<[reply: { status: number; json?: unknown; text?: string }, description: string]> = [
    [{ status: 400, json: { error: 'invalid_grant', error_description: 'Code expired' } }, 'invalid_grant'],
    [{ status: 502, text: 'Bad gateway' }, 'HTTP 502'],
    // An error that is not a string is not passed on: the status is.
    [{ status: 400, json: { error: { code: 'invalid_grant' } } }, 'HTTP 400'],
    // 200 answers that are not a JSON object are no answer at all.
    [{ status: 200, text: 'access_token=abc' }, 'HTTP 200'],
    [{ status: 200, text: '["access_token"]' }, 'HTTP 200'],
    [{ status: 200, text: '"access_token"' }, 'HTTP 200'],
    [{ status: 200, text: '5' }, 'HTTP 200'],
    [{ status: 200, text: 'null' }, 'HTTP 200'],
  ];
  for (const [reply, error] of cases) {
    const before = upstream.requestsTo('/errors/token').length;
    upstream.on('/errors/token', reply);
    const started = await startFederatedSignIn(setup);
    assert.deepEqual(
      await started.finish(),
      refusal(`Error exchanging the authorization code at the identity provider: ${error}`),
      JSON.stringify(reply),
    );
    assert.equal(upstream.requestsTo('/errors/token').length, before + 1, JSON.stringify(reply));
  }
});

test('a token answer without an access or ID token string is refused, even one saying invalid_client, without a retry', async () => {
  const { setup } = await oidcProvider('/empty');
  // Tokens that are not strings are no tokens.
  for (const json of [{ token_type: 'Bearer' }, { error: 'invalid_client' }, { access_token: 12345 }, { id_token: { sub: 'nat' } }]) {
    const before = upstream.requestsTo('/empty/token').length;
    upstream.on('/empty/token', { json });
    const started = await startFederatedSignIn(setup);
    assert.deepEqual(await started.finish(), refusal('The identity provider returned no token'));
    assert.equal(upstream.requestsTo('/empty/token').length, before + 1);
  }
});

test('a token answer of up to 512 KiB is read, a longer one is refused', async () => {
  const { details, setup } = await oidcProvider('/large');
  const started = await startFederatedSignIn(setup);
  const json = JSON.stringify(await tokens(details, started, 'liz'));
  upstream.on('/large/token', { text: json.padEnd(512 * 1024 + 1) });
  assert.deepEqual(await started.finish(), refusal('Error exchanging the authorization code at the identity provider: HTTP 200'));

  const again = await startFederatedSignIn(setup);
  upstream.on('/large/token', { text: JSON.stringify(await tokens(details, again, 'liz')).padEnd(512 * 1024) });
  assertSignedIn(await again.finish());
});

test('a token endpoint that cannot be reached, or redirects, is named in the refusal', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const { setup } = await oidcProvider('/unreachable', { token_url: `http://127.0.0.1:${port}/token` });
  assert.deepEqual(await (await startFederatedSignIn(setup)).finish(), refusal(`Unable to reach 127.0.0.1:${port}`));

  // Redirects are not followed: the code and secret go only where the provider's details say.
  const redirecting = await oidcProvider('/redirecting');
  upstream.on('/redirecting/token', { status: 307, location: `${upstream.url}/post/token` });
  assert.deepEqual(
    await (await startFederatedSignIn(redirecting.setup)).finish(),
    refusal(`Unable to reach ${new URL(upstream.url).host}`),
  );
});

test('a social provider whose token endpoint was set empty is refused', async () => {
  const setup = await federationPool(server, {
    name: 'Google',
    type: 'Google',
    details: {
      client_id: 'cognate-google-empty',
      client_secret: 'google-secret',
      authorize_scopes: 'openid email',
      authorize_url: `${upstream.url}/google-empty/auth`,
      token_url: '',
    },
  });
  assert.deepEqual(await (await startFederatedSignIn(setup)).finish(), refusal('The identity provider has no token endpoint'));
});

test("Facebook's token endpoint gets a GET with the form in its query, after any query it has", async () => {
  for (const [prefix, tokenUrl] of [
    ['/fb-plain', '/fb-plain/oauth/access_token'],
    ['/fb-query', '/fb-query/oauth/access_token?version=2'],
  ] as const) {
    const setup = await federationPool(server, {
      name: 'Facebook',
      type: 'Facebook',
      details: {
        client_id: 'cognate-facebook',
        client_secret: 'facebook-secret',
        authorize_scopes: 'email',
        authorize_url: `${upstream.url}${prefix}/dialog/oauth`,
        token_url: `${upstream.url}${tokenUrl}`,
        attributes_url: `${upstream.url}${prefix}/me?fields=`,
      },
    });
    upstream.on(`${prefix}/oauth/access_token`, { json: { access_token: 'fb-access', token_type: 'bearer' } });
    upstream.on(`${prefix}/me`, { json: { id: '1017', email: 'fb@upstream.example' } });
    assertSignedIn(await (await startFederatedSignIn(setup)).finish('fb-code'));

    const [request, ...more] = upstream.requestsTo(`${prefix}/oauth/access_token`);
    assert.equal(more.length, 0);
    assert.equal(request!.method, 'GET');
    assert.equal(request!.body, '');
    assert.equal(request!.headers['accept'], 'application/json');
    const query = [...request!.url.searchParams];
    const expected = [
      ['grant_type', 'authorization_code'],
      ['code', 'fb-code'],
      ['redirect_uri', `${setup.pool.site.baseUrl}/oauth2/idpresponse`],
      ['code_verifier', query.find(([name]) => name === 'code_verifier')?.[1] ?? 'missing'],
      ['client_id', 'cognate-facebook'],
      ['client_secret', 'facebook-secret'],
    ];
    assert.deepEqual(query, prefix === '/fb-query' ? [['version', '2'], ...expected] : expected);
    assert.equal(await email(setup, 'facebook_1017'), 'fb@upstream.example');
  }
});

/** A Sign in with Apple provider pointed here, its team key given as `privateKey`. */
async function appleProvider(prefix: string, privateKey: string): Promise<{ details: Record<string, string>; setup: FederationSetup }> {
  const details = {
    client_id: 'com.example.cognate',
    team_id: 'TEAM123456',
    key_id: 'KEY7654321',
    private_key: privateKey,
    authorize_scopes: 'openid',
    authorize_url: `${upstream.url}${prefix}/auth/authorize`,
    token_url: `${upstream.url}${prefix}/auth/token`,
    oidc_issuer: upstream.url,
    jwks_uri: `${upstream.url}${prefix}/jwks`,
    // Apple has no user info endpoint: one set by hand is never called.
    attributes_url: `${upstream.url}${prefix}/userinfo`,
  };
  const setup = await federationPool(server, { name: 'SignInWithApple', type: 'SignInWithApple', details });
  return { details, setup };
}

test('Sign in with Apple authenticates with an ES256 client secret signed by the team key, PEM, bare or pasted', async () => {
  const teamKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = teamKey.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const bare = pem.replace(/-----(BEGIN|END) PRIVATE KEY-----|\s/g, '');
  // As pasted from a YAML block or a Windows editor: indented, with CRLFs and a leading newline.
  const pasted = `\n${pem
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\r\n')}`;
  for (const [prefix, privateKey] of [
    ['/apple-pem', pem],
    ['/apple-bare', bare],
    ['/apple-pasted', pasted],
  ] as const) {
    const { details, setup } = await appleProvider(prefix, privateKey);
    const started = await startFederatedSignIn(setup);
    upstream.on(`${prefix}/auth/token`, { json: await tokens(details, started, `${prefix.slice(1)}.001`) });
    assertSignedIn(await started.finish());

    const [request, ...more] = upstream.requestsTo(`${prefix}/auth/token`);
    assert.equal(more.length, 0, prefix);
    const sent = form(request!.body);
    assert.equal(sent['client_id'], 'com.example.cognate');
    const secret = sent['client_secret']!;
    assert.deepEqual(decodeProtectedHeader(secret), { alg: 'ES256', kid: 'KEY7654321' });
    await compactVerify(secret, teamKey.publicKey);
    const now = Math.floor(clock.now() / 1000);
    assert.deepEqual(decodePayload(secret), { iss: 'TEAM123456', sub: 'com.example.cognate', aud: upstream.url, iat: now, exp: now + 300 });
    assert.equal(upstream.requestsTo(`${prefix}/userinfo`).length, 0);
    assert.equal(await email(setup, `signinwithapple_${prefix.slice(1)}.001`), `${prefix.slice(1)}.001@upstream.example`);
  }
});

test('UpstreamError names itself', () => {
  const error = new UpstreamError('Bad id_token nonce');
  assert.equal(error.name, 'UpstreamError');
  assert.equal(error.message, 'Bad id_token nonce');
});
