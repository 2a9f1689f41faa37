import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateUserPoolDomainCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../support/server.js';
import { CALLBACK, createClient, createOAuthPool, getWithHeaders as get, type OAuthPool } from './helpers.js';

// Behind a TLS-terminating proxy the server sees plain HTTP; with trustProxy it takes the scheme and
// host from the proxy's X-Forwarded-Proto and X-Forwarded-Host, and without it ignores them.

const HSTS = 'max-age=31536000; includeSubDomains';
/** The proxy's address: the public URL, and so the issuer, of the trusting server. */
const PROXY = 'https://cognate.proxy.test';

let trusting: TestServer;
let plain: TestServer;
let onTrusting: OAuthPool;
let onPlain: OAuthPool;
let trustingClient: string;
let plainClient: string;

before(async () => {
  trusting = await startTestServer({ trustProxy: true, publicUrl: PROXY });
  plain = await startTestServer();
  onTrusting = await createOAuthPool(trusting);
  onPlain = await createOAuthPool(plain);
  trustingClient = (await createClient(trusting, onTrusting.poolId)).id;
  plainClient = (await createClient(plain, onPlain.poolId)).id;
  await trusting.admin.send(new CreateUserPoolDomainCommand({ UserPoolId: onTrusting.poolId, Domain: 'proxied' }));
  await plain.admin.send(new CreateUserPoolDomainCommand({ UserPoolId: onPlain.poolId, Domain: 'unproxied' }));
});
after(async () => {
  await trusting?.stop();
  await plain?.stop();
});

function authorizeQuery(clientId: string): string {
  return new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK }).toString();
}

test('trusted: a prefix domain behind the proxy gets https links, Secure cookies and HSTS', async () => {
  const forwarded = { host: new URL(trusting.url).host, 'x-forwarded-proto': 'https', 'x-forwarded-host': 'proxied.auth.localhost' };
  const authorize = await get(trusting, `/oauth2/authorize?${authorizeQuery(trustingClient)}`, forwarded);
  assert.equal(authorize.status, 302, authorize.body);
  assert.ok(
    String(authorize.headers['location']).startsWith('https://proxied.auth.localhost/login?'),
    String(authorize.headers['location']),
  );
  assert.equal(authorize.headers['strict-transport-security'], HSTS);

  const page = await get(trusting, `/login?${authorizeQuery(trustingClient)}`, forwarded);
  assert.equal(page.status, 200);
  assert.match(page.body, /<form method="post" action="https:\/\/proxied\.auth\.localhost\/login\?/);
  const cookies = [page.headers['set-cookie'] ?? []].flat();
  assert.ok(
    cookies.some((cookie) => cookie.startsWith('__Host-cognate-csrf=') && cookie.endsWith('; Secure')),
    cookies.join(' | '),
  );

  // The plain-HTTP hop itself, without the proxy's word, is no HTTPS: no HSTS.
  const direct = await get(trusting, '/health/live', { host: new URL(trusting.url).host });
  assert.equal(direct.headers['strict-transport-security'], undefined);
});

test('trusted: a forwarded host goes through the same validation as Host', async () => {
  const base = { host: new URL(trusting.url).host, 'x-forwarded-proto': 'https' };
  const path = `/oauth2/authorize?${authorizeQuery(trustingClient)}`;
  const smuggled = await get(trusting, path, { ...base, 'x-forwarded-host': 'proxied.auth.localhost@evil.example' });
  assert.equal(smuggled.status, 400);
  assert.equal(smuggled.headers['location'], undefined);
  assert.doesNotMatch(smuggled.body, /evil/);
  const unknown = await get(trusting, path, { ...base, 'x-forwarded-host': 'evil.example' });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.headers['location'], undefined);
  // The proxy's own entry is the last one: an earlier one the client sent is not believed.
  const chained = await get(trusting, path, { ...base, 'x-forwarded-host': 'evil.example, proxied.auth.localhost' });
  assert.ok(String(chained.headers['location']).startsWith('https://proxied.auth.localhost/login?'), String(chained.headers['location']));
});

test('untrusted (the default): X-Forwarded-Proto and X-Forwarded-Host are ignored', async () => {
  const host = new URL(plain.url).host;
  const spoofed = await get(plain, `/${onPlain.poolId}/oauth2/authorize?${authorizeQuery(plainClient)}`, {
    host,
    'x-forwarded-proto': 'https',
    'x-forwarded-host': 'unproxied.auth.localhost',
  });
  assert.equal(spoofed.status, 302);
  assert.ok(String(spoofed.headers['location']).startsWith(`${onPlain.issuer}/login?`), String(spoofed.headers['location']));
  assert.equal(spoofed.headers['strict-transport-security'], undefined);

  const page = await get(plain, `/oauth2/authorize?${authorizeQuery(plainClient)}`, {
    host: 'unproxied.auth.localhost',
    'x-forwarded-proto': 'https',
  });
  assert.ok(String(page.headers['location']).startsWith('http://unproxied.auth.localhost/login?'), String(page.headers['location']));
  assert.equal(page.headers['strict-transport-security'], undefined);
});

test('trusted: by path, links, cookies, discovery and the issuer are the https public URL of the proxy', async () => {
  const forwarded = { host: new URL(trusting.url).host, 'x-forwarded-proto': 'https', 'x-forwarded-host': 'cognate.proxy.test' };
  const site = `${PROXY}/${onTrusting.poolId}`;
  const authorize = await get(trusting, `/${onTrusting.poolId}/oauth2/authorize?${authorizeQuery(trustingClient)}`, forwarded);
  assert.ok(String(authorize.headers['location']).startsWith(`${site}/login?`), String(authorize.headers['location']));
  assert.equal(authorize.headers['strict-transport-security'], HSTS);
  const page = await get(trusting, `/${onTrusting.poolId}/login?${authorizeQuery(trustingClient)}`, forwarded);
  assert.ok(page.body.includes(`action="${site}/login?`), page.body);
  assert.ok([page.headers['set-cookie'] ?? []].flat().some((cookie) => cookie.endsWith('; Secure')));

  const discovery = await get(trusting, `/${onTrusting.poolId}/.well-known/openid-configuration`, forwarded);
  const document = JSON.parse(discovery.body) as { issuer: string; authorization_endpoint: string; token_endpoint: string };
  assert.equal(document.issuer, site);
  assert.equal(document.authorization_endpoint, `${site}/oauth2/authorize`);
  assert.equal(document.token_endpoint, `${site}/oauth2/token`);
  assert.equal(discovery.headers['strict-transport-security'], HSTS);
});
