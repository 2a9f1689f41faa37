import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createVerify, X509Certificate } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import {
  CreateIdentityProviderCommand,
  DescribeIdentityProviderCommand,
  GetSigningCertificateCommand,
  UpdateIdentityProviderCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { FrozenClock } from '../../src/lib/clock.js';
import { captureError, type TestServer } from '../support/server.js';
import {
  authorizeUrl,
  CALLBACK,
  exchangeCode,
  postSamlForm,
  samlErrorPage,
  samlErrorRedirect,
  startSamlPool,
  type SamlPool,
} from './saml-fixture.js';
import { TestSamlIdp } from '../support/saml-idp.js';

const clock = FrozenClock.atNow();
const idp = new TestSamlIdp();
const idpInit = new TestSamlIdp({ entityId: 'https://portal.example.com/metadata', ssoUrl: 'https://portal.example.com/sso' });

let pool: SamlPool;
let server: TestServer;
let poolId: string;
let audience: string;
let acs: string;
let clientId: string;

before(async () => {
  pool = await startSamlPool(
    clock,
    'saml',
    [
      { name: 'MySAML', details: { MetadataFile: idp.metadata() }, mapping: { email: 'email' } },
      { name: 'Portal', details: { MetadataFile: idpInit.metadata(), IDPInit: 'true' }, mapping: { email: 'mail' } },
    ],
    { scopes: ['openid', 'email'] },
  );
  ({ server, poolId, audience, acs, clientId } = pool);
});
after(() => server.stop());

/** GET /oauth2/authorize for the SAML provider; returns the IdP redirect. */
async function startSignIn(provider = 'MySAML', state = 'st4te'): Promise<string> {
  const response = await fetch(authorizeUrl(pool, provider, 'openid email', state), { redirect: 'manual' });
  assert.equal(response.status, 302);
  return response.headers.get('location')!;
}

const post = (form: Record<string, string>, contentType?: string): Promise<{ status: number; location: string }> =>
  postSamlForm(acs, form, contentType);
const errorRedirect = samlErrorRedirect;
const ERROR_PAGE = (): string => samlErrorPage(pool);
const exchange = (code: string): Promise<Record<string, unknown>> => exchangeCode(pool, code);

test('DescribeIdentityProvider shows what Cognito derives from the metadata', async () => {
  const described = await server.admin.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'MySAML' }));
  const details = described.IdentityProvider!.ProviderDetails!;
  assert.deepEqual(details, {
    MetadataFile: idp.metadata(),
    SSORedirectBindingURI: idp.ssoUrl,
    SLORedirectBindingURI: idp.sloUrl,
    // Every SAML provider has one (federation-saml-encryption.test.ts).
    ActiveEncryptionCertificate: details['ActiveEncryptionCertificate'],
  });
  assert.match(details['ActiveEncryptionCertificate']!, /^MII/);
});

test('CreateIdentityProvider refuses unusable SAML details', async () => {
  const create = (details: Record<string, string>) =>
    captureError(() =>
      server.admin.send(
        new CreateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Broken', ProviderType: 'SAML', ProviderDetails: details }),
      ),
    );
  for (const [details, message] of [
    [{}, 'At least one of the MetadataURL or MetadataFile should be provided.'],
    [{ MetadataFile: '<EntityDescriptor' }, 'Unable to unmarshall metadata'],
    [{ MetadataFile: idp.metadata(), EncryptedResponses: 'maybe' }, 'EncryptedResponses should be either true or false.'],
  ] as const) {
    const error = await create(details);
    assert.equal(error.name, 'InvalidParameterException');
    assert.equal(error.message, message);
  }
});

test('SP-initiated sign-in: AuthnRequest, signed assertion, code, tokens with the SAML identity', async () => {
  const location = await startSignIn();
  assert.ok(location.startsWith(`${idp.ssoUrl}?SAMLRequest=`), location);
  const request = await idp.parseRequest(location, audience, acs);
  assert.equal(request.issuer, audience);
  assert.equal(request.acsUrl, acs);
  assert.equal(request.destination, idp.ssoUrl);
  assert.ok(request.id.startsWith('_'));

  const SAMLResponse = await idp.loginResponse({
    audience,
    acsUrl: acs,
    nameId: 'jane',
    inResponseTo: request.id,
    issueInstant: clock.now(),
    attributes: { email: 'jane@corp.example', groups: ['a', 'b'] },
  });
  const answer = await post({ SAMLResponse, RelayState: request.relayState });
  assert.equal(answer.status, 302);
  const redirect = new URL(answer.location);
  assert.equal(`${redirect.origin}${redirect.pathname}`, CALLBACK);
  assert.equal(redirect.searchParams.get('state'), 'st4te');
  const claims = await exchange(redirect.searchParams.get('code')!);
  // Usernames of case-insensitive pools (the default) are kept lowercase, as Cognito's `google_...` users show.
  assert.equal(claims['cognito:username'], 'mysaml_jane');
  assert.equal(claims['email'], 'jane@corp.example');
  const identities = claims['identities'] as Array<Record<string, unknown>>;
  assert.equal(identities.length, 1);
  assert.equal(identities[0]!['userId'], 'jane');
  assert.equal(identities[0]!['providerName'], 'MySAML');
  assert.equal(identities[0]!['providerType'], 'SAML');

  // The same response posted again is refused.
  assert.deepEqual(await post({ SAMLResponse, RelayState: request.relayState }), {
    status: 302,
    location: errorRedirect('SAML assertion has already been used.'),
  });
});

test('a response signed as a whole (assertion unsigned) is accepted', async () => {
  const request = await idp.parseRequest(await startSignIn(), audience, acs);
  const SAMLResponse = await idp.loginResponse({
    audience,
    acsUrl: acs,
    nameId: 'john',
    inResponseTo: request.id,
    issueInstant: clock.now(),
    sign: 'response',
  });
  const answer = await post({ SAMLResponse, RelayState: request.relayState });
  assert.ok(answer.location.startsWith(`${CALLBACK}?code=`), answer.location);
});

test('refused responses redirect to the client with server_error', async () => {
  const impostor = new TestSamlIdp({ entityId: idp.entityId });
  const cases: Array<[string, (id: string) => Promise<string>]> = [
    [
      'SAML Assertion signature is invalid.',
      (id) => idp.loginResponse({ audience, acsUrl: acs, nameId: 'x', inResponseTo: id, issueInstant: clock.now(), sign: 'none' }),
    ],
    [
      'SAML Assertion signature is invalid.',
      (id) => impostor.loginResponse({ audience, acsUrl: acs, nameId: 'x', inResponseTo: id, issueInstant: clock.now() }),
    ],
    [
      'Audience restriction is not satisfied.',
      (id) =>
        idp.loginResponse({
          audience: 'urn:amazon:cognito:sp:us-east-1_other',
          acsUrl: acs,
          nameId: 'x',
          inResponseTo: id,
          issueInstant: clock.now(),
        }),
    ],
    [
      'SAML assertion has expired.',
      (id) => idp.loginResponse({ audience, acsUrl: acs, nameId: 'x', inResponseTo: id, issueInstant: clock.now() - 10 * 60_000 }),
    ],
    [
      'InResponseTo is not valid.',
      () => idp.loginResponse({ audience, acsUrl: acs, nameId: 'x', inResponseTo: '_someoneelse', issueInstant: clock.now() }),
    ],
    [
      // The Response answers our request, but the bearer confirmation does not say so.
      'InResponseTo is not valid.',
      (id) =>
        idp.loginResponse({
          audience,
          acsUrl: acs,
          nameId: 'x',
          inResponseTo: id,
          issueInstant: clock.now(),
          edit: (xml) => xml.replace(/(<saml:SubjectConfirmationData [^>]*) InResponseTo="[^"]*"/, '$1'),
        }),
    ],
    ['Invalid base64 SAMLResponse.', () => Promise.resolve('not*base64')],
    ['Unable to parse the SAML response.', () => Promise.resolve(Buffer.from('<samlp:Response').toString('base64'))],
  ];
  for (const [description, respond] of cases) {
    const request = await idp.parseRequest(await startSignIn(), audience, acs);
    const answer = await post({ SAMLResponse: await respond(request.id), RelayState: request.relayState });
    assert.deepEqual(answer, { status: 302, location: errorRedirect(description) }, description);
  }
});

test('an expired sign-in is refused by the injected clock', async () => {
  const request = await idp.parseRequest(await startSignIn(), audience, acs);
  const SAMLResponse = await idp.loginResponse({
    audience,
    acsUrl: acs,
    nameId: 'late',
    inResponseTo: request.id,
    issueInstant: clock.now(),
  });
  await clock.travel(6 * 60_000, async () => {
    assert.deepEqual(await post({ SAMLResponse, RelayState: request.relayState }), {
      status: 302,
      location: errorRedirect('SAML assertion has expired.'),
    });
  });
});

test('tampered or missing RelayState and bad requests go to the error page', async () => {
  const request = await idp.parseRequest(await startSignIn(), audience, acs);
  const SAMLResponse = await idp.loginResponse({ audience, acsUrl: acs, nameId: 'x', inResponseTo: request.id, issueInstant: clock.now() });
  const tampered = request.relayState.slice(0, -3) + (request.relayState.endsWith('AAA') ? 'BBB' : 'AAA');
  assert.deepEqual(await post({ SAMLResponse, RelayState: tampered }), { status: 302, location: ERROR_PAGE() });
  assert.deepEqual(await post({ SAMLResponse }), { status: 302, location: ERROR_PAGE() });
  assert.deepEqual(await post({ RelayState: request.relayState }), { status: 302, location: ERROR_PAGE() });
  assert.deepEqual(await post({ SAMLResponse, RelayState: request.relayState }, 'text/plain'), { status: 302, location: ERROR_PAGE() });
  // The untouched pair still works: failed attempts do not spend the request.
  assert.ok((await post({ SAMLResponse, RelayState: request.relayState })).location.startsWith(`${CALLBACK}?code=`));
});

test('IdP-initiated sign-in with IDPInit "true": RelayState carries the authorization request', async () => {
  const relay = new URLSearchParams({
    client_id: clientId,
    redirect_uri: CALLBACK,
    response_type: 'code',
    scope: 'openid email',
    identity_provider: 'Portal',
  });
  const SAMLResponse = await idpInit.loginResponse({
    audience,
    acsUrl: acs,
    nameId: 'pat',
    issueInstant: clock.now(),
    attributes: { mail: 'pat@corp.example' },
  });
  const answer = await post({ SAMLResponse, RelayState: relay.toString() });
  assert.ok(answer.location.startsWith(`${CALLBACK}?code=`), answer.location);
  const claims = await exchange(new URL(answer.location).searchParams.get('code')!);
  assert.equal(claims['cognito:username'], 'portal_pat');
  assert.equal(claims['email'], 'pat@corp.example');

  // Not for a provider without IDPInit, nor without a RelayState naming the request.
  const toMySaml = new URLSearchParams({ ...Object.fromEntries(relay), identity_provider: 'MySAML' });
  const unsolicited = await idp.loginResponse({ audience, acsUrl: acs, nameId: 'pat', issueInstant: clock.now() });
  assert.deepEqual(await post({ SAMLResponse: unsolicited, RelayState: toMySaml.toString() }), { status: 302, location: ERROR_PAGE() });
  assert.deepEqual(await post({ SAMLResponse: unsolicited }), { status: 302, location: ERROR_PAGE() });
});

test('RequestSigningAlgorithm rsa-sha256 signs the redirect with the certificate GetSigningCertificate returns', async () => {
  const current = await server.admin.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'MySAML' }));
  await server.admin.send(
    new UpdateIdentityProviderCommand({
      UserPoolId: poolId,
      ProviderName: 'MySAML',
      ProviderDetails: { ...current.IdentityProvider!.ProviderDetails, RequestSigningAlgorithm: 'rsa-sha256' },
    }),
  );
  const location = new URL(await startSignIn());
  const raw = location.search.slice(1);
  const signature = location.searchParams.get('Signature')!;
  assert.equal(location.searchParams.get('SigAlg'), 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
  const signed = raw.slice(0, raw.indexOf('&Signature='));
  const certificate = (await server.admin.send(new GetSigningCertificateCommand({ UserPoolId: poolId }))).Certificate!;
  const publicKey = new X509Certificate(Buffer.from(certificate, 'base64')).publicKey;
  assert.ok(createVerify('RSA-SHA256').update(signed).verify(publicKey, signature, 'base64'));
  const xml = inflateRawSync(Buffer.from(location.searchParams.get('SAMLRequest')!, 'base64')).toString();
  assert.match(xml, /^<saml2p:AuthnRequest /);
});
