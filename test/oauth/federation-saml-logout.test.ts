import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createVerify, X509Certificate } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { GetSigningCertificateCommand } from '@aws-sdk/client-cognito-identity-provider';
import { FrozenClock } from '../../src/lib/clock.js';
import type { TestServer } from '../support/server.js';
import { authorizeUrl, CALLBACK, postSamlForm, samlErrorPage, startSamlPool, type SamlPool } from './saml-fixture.js';
import { TestSamlIdp } from '../support/saml-idp.js';

const LOGOUT = 'https://app.example.com/signed-out';
const clock = FrozenClock.atNow();
const idp = new TestSamlIdp();
const quietIdp = new TestSamlIdp({ entityId: 'https://quiet.example.com/metadata', ssoUrl: 'https://quiet.example.com/sso' });

let pool: SamlPool;
let server: TestServer;
let poolId: string;
let base: string;
let audience: string;
let acs: string;
let sloEndpoint: string;
let clientId: string;

before(async () => {
  pool = await startSamlPool(
    clock,
    'saml-slo',
    [
      { name: 'Corp', details: { MetadataFile: idp.metadata(), IDPSignout: 'true' } },
      { name: 'Quiet', details: { MetadataFile: quietIdp.metadata(), IDPSignout: 'false' } },
    ],
    { scopes: ['openid'], logoutUrls: [LOGOUT] },
  );
  ({ server, poolId, base, audience, acs, clientId } = pool);
  sloEndpoint = `${base}/saml2/logout`;
});
after(() => server.stop());

/** The `Cookie` header a browser would send back after these responses' Set-Cookie lines (latest wins). */
function cookieJar(...responses: Response[]): string {
  const jar = new Map<string, string>();
  for (const response of responses) {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1);
      if (value === '') jar.delete(pair.slice(0, eq));
      else jar.set(pair.slice(0, eq), value);
    }
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

/** Signs `nameId` in through `provider`; returns the response of /saml2/idpresponse (with its cookies). */
async function signIn(provider: string, samlIdp: TestSamlIdp, nameId: string): Promise<Response> {
  const start = await fetch(authorizeUrl(pool, provider, 'openid'), { redirect: 'manual' });
  const request = await samlIdp.parseRequest(start.headers.get('location')!, audience, acs);
  const SAMLResponse = await samlIdp.loginResponse({ audience, acsUrl: acs, nameId, inResponseTo: request.id, issueInstant: clock.now() });
  const answer = await fetch(acs, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ SAMLResponse, RelayState: request.relayState }).toString(),
  });
  await answer.arrayBuffer();
  assert.ok(answer.headers.get('location')!.startsWith(`${CALLBACK}?code=`));
  return answer;
}

async function logout(cookie: string): Promise<Response> {
  const query = new URLSearchParams({ client_id: clientId, logout_uri: LOGOUT });
  const response = await fetch(`${base}/logout?${query}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  await response.arrayBuffer();
  assert.equal(response.status, 302);
  return response;
}

const postLogoutResponse = (form: Record<string, string>): Promise<{ status: number; location: string }> => postSamlForm(sloEndpoint, form);

const ERROR_PAGE = (): string => samlErrorPage(pool);

test('IDPSignout "true": /logout sends a signed LogoutRequest to the IdP, whose LogoutResponse at /saml2/logout ends at logout_uri', async () => {
  const signedIn = await signIn('Corp', idp, 'jane');
  const cookie = cookieJar(signedIn);
  assert.match(cookie, /(^|; )cognito=/);
  assert.match(cookie, /(^|; )cognito-saml=/);

  const answer = await logout(cookie);
  const location = new URL(answer.headers.get('location')!);
  assert.equal(`${location.origin}${location.pathname}`, idp.sloUrl);
  assert.deepEqual([...location.searchParams.keys()], ['SAMLRequest', 'RelayState', 'SigAlg', 'Signature']);
  // Both cookies end at once: the session is over here whatever the IdP answers.
  assert.equal(cookieJar(signedIn, answer), '');

  // Signed with the pool's key, as for AuthnRequests (saml-bindings §3.4.4.1).
  const raw = location.search.slice(1);
  assert.equal(location.searchParams.get('SigAlg'), 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
  const certificate = (await server.admin.send(new GetSigningCertificateCommand({ UserPoolId: poolId }))).Certificate!;
  const publicKey = new X509Certificate(Buffer.from(certificate, 'base64')).publicKey;
  assert.ok(
    createVerify('RSA-SHA256')
      .update(raw.slice(0, raw.indexOf('&Signature=')))
      .verify(publicKey, location.searchParams.get('Signature')!, 'base64'),
  );
  assert.match(inflateRawSync(Buffer.from(location.searchParams.get('SAMLRequest')!, 'base64')).toString(), /^<saml2p:LogoutRequest /);

  // It names the user and the session as the assertion did.
  const request = await idp.parseLogoutRequest(location.toString(), audience);
  assert.equal(request.issuer, audience);
  assert.equal(request.nameId, 'jane');
  assert.equal(request.destination, idp.sloUrl);
  assert.match(request.sessionIndex, /^_a[0-9a-f]{32}$/);
  assert.ok(request.id.startsWith('_'));

  const SAMLResponse = await idp.logoutResponse(request, audience, sloEndpoint);
  assert.deepEqual(await postLogoutResponse({ SAMLResponse, RelayState: request.relayState }), { status: 302, location: LOGOUT });
  // Once only.
  assert.deepEqual(await postLogoutResponse({ SAMLResponse, RelayState: request.relayState }), { status: 302, location: ERROR_PAGE() });
});

test('/saml2/logout refuses what does not answer our LogoutRequest', async () => {
  const answer = await logout(cookieJar(await signIn('Corp', idp, 'john')));
  const request = await idp.parseLogoutRequest(answer.headers.get('location')!, audience);
  const impostor = new TestSamlIdp({ entityId: idp.entityId });
  const forged = await impostor.logoutResponse(request, audience, sloEndpoint);
  const unsigned = await idp.logoutResponse(request, audience, sloEndpoint, false);
  const signed = await idp.logoutResponse(request, audience, sloEndpoint);
  const tampered = request.relayState.slice(0, -3) + (request.relayState.endsWith('AAA') ? 'BBB' : 'AAA');
  const refused: Array<Record<string, string>> = [
    { SAMLResponse: forged, RelayState: request.relayState },
    { SAMLResponse: unsigned, RelayState: request.relayState },
    { SAMLResponse: signed, RelayState: tampered },
    { SAMLResponse: signed },
    { RelayState: request.relayState },
    { SAMLResponse: 'not*base64', RelayState: request.relayState },
  ];
  for (const form of refused) {
    assert.deepEqual(await postLogoutResponse(form), { status: 302, location: ERROR_PAGE() }, JSON.stringify(Object.keys(form)));
  }
  // The genuine answer still works: refused attempts do not spend the request.
  assert.deepEqual(await postLogoutResponse({ SAMLResponse: signed, RelayState: request.relayState }), { status: 302, location: LOGOUT });
});

test('without IDPSignout, or without a SAML session, /logout goes straight to logout_uri', async () => {
  const quiet = await logout(cookieJar(await signIn('Quiet', quietIdp, 'pat')));
  assert.equal(quiet.headers.get('location'), LOGOUT);
  assert.equal((await logout('')).headers.get('location'), LOGOUT);

  // A SAML record whose managed-login session is gone (expired) does not sign out upstream.
  const signedIn = cookieJar(await signIn('Corp', idp, 'late'));
  await clock.travel(3_600_000, async () => {
    assert.equal((await logout(signedIn)).headers.get('location'), LOGOUT);
  });
});
