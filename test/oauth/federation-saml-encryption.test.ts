import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import {
  DescribeIdentityProviderCommand,
  GetIdentityProviderByIdentifierCommand,
  ListIdentityProvidersCommand,
  UpdateIdentityProviderCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { FrozenClock } from '../../src/lib/clock.js';
import type { TestServer } from '../support/server.js';
import { authorizeUrl, exchangeCode, postSamlForm, samlErrorRedirect, startSamlPool, type SamlPool } from './saml-fixture.js';
import { TestSamlIdp } from '../support/saml-idp.js';

const TEN_YEARS_MS = 10 * 365.25 * 24 * 3600_000;
const clock = FrozenClock.atNow();
const idp = new TestSamlIdp();
const plainIdp = new TestSamlIdp({ entityId: 'https://plain.example.com/metadata', ssoUrl: 'https://plain.example.com/sso' });

let pool: SamlPool;
let server: TestServer;
let poolId: string;
let audience: string;
let acs: string;
/** What every API answer about the providers said, to search for key material. */
const answers: unknown[] = [];

async function send<T>(promise: Promise<T>): Promise<T> {
  const answer = await promise;
  answers.push(answer);
  return answer;
}

async function certificateOf(provider: string): Promise<string> {
  const described = await send(server.admin.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: provider })));
  return described.IdentityProvider!.ProviderDetails!['ActiveEncryptionCertificate']!;
}

before(async () => {
  pool = await startSamlPool(
    clock,
    'saml-enc',
    [
      {
        name: 'Sealed',
        details: { MetadataFile: idp.metadata(), EncryptedResponses: 'true' },
        mapping: { email: 'email' },
        identifiers: ['sealed.example.com'],
      },
      { name: 'Plain', details: { MetadataFile: plainIdp.metadata() } },
    ],
    { scopes: ['openid', 'email'] },
  );
  ({ server, poolId, audience, acs } = pool);
  answers.push(...pool.created);
});
after(() => server.stop());

/** Starts a sign-in through `provider`; returns the AuthnRequest ID and RelayState the IdP received. */
async function startSignIn(provider: string, samlIdp: TestSamlIdp): Promise<{ id: string; relayState: string }> {
  const response = await fetch(authorizeUrl(pool, provider, 'openid email', 'st4te'), { redirect: 'manual' });
  assert.equal(response.status, 302);
  return samlIdp.parseRequest(response.headers.get('location')!, audience, acs);
}

async function post(SAMLResponse: string, RelayState: string): Promise<string> {
  const answer = await postSamlForm(acs, { SAMLResponse, RelayState });
  assert.equal(answer.status, 302);
  return answer.location;
}

const errorRedirect = (description: string): string => samlErrorRedirect(description);

async function exchange(location: string): Promise<Record<string, unknown>> {
  const code = new URL(location).searchParams.get('code');
  assert.ok(code, location);
  return exchangeCode(pool, code);
}

test('every SAML provider gets an encryption certificate, shown as Cognito shows it (base64 DER, no PEM lines)', async () => {
  const described = await send(server.admin.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Sealed' })));
  const details = described.IdentityProvider!.ProviderDetails!;
  const certificate = details['ActiveEncryptionCertificate']!;
  assert.deepEqual(details, {
    MetadataFile: idp.metadata(),
    EncryptedResponses: 'true',
    SSORedirectBindingURI: idp.ssoUrl,
    SLORedirectBindingURI: idp.sloUrl,
    ActiveEncryptionCertificate: certificate,
  });
  assert.match(certificate, /^MII[A-Za-z0-9+/]+={0,2}$/);
  const parsed = new X509Certificate(Buffer.from(certificate, 'base64'));
  assert.equal(parsed.publicKey.asymmetricKeyType, 'rsa');
  assert.equal(parsed.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
  assert.equal(Date.parse(parsed.validTo) - Date.parse(parsed.validFrom), Math.floor(TEN_YEARS_MS / 1000) * 1000);
  assert.ok(parsed.verify(parsed.publicKey), 'self-signed');

  // Providers that do not encrypt have one too, and each provider its own.
  const plain = await certificateOf('Plain');
  assert.match(plain, /^MII/);
  assert.notEqual(plain, certificate);
  const byIdentifier = await send(
    server.admin.send(new GetIdentityProviderByIdentifierCommand({ UserPoolId: poolId, IdpIdentifier: 'sealed.example.com' })),
  );
  assert.equal(byIdentifier.IdentityProvider!.ProviderDetails!['ActiveEncryptionCertificate'], certificate);
});

test('updates keep the certificate, whatever the request says of it', async () => {
  const before = await certificateOf('Sealed');
  const updated = await send(
    server.admin.send(
      new UpdateIdentityProviderCommand({
        UserPoolId: poolId,
        ProviderName: 'Sealed',
        ProviderDetails: { MetadataFile: idp.metadata(), EncryptedResponses: 'true', ActiveEncryptionCertificate: 'MIIforged' },
      }),
    ),
  );
  assert.equal(updated.IdentityProvider!.ProviderDetails!['ActiveEncryptionCertificate'], before);
  await send(
    server.admin.send(
      new UpdateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Sealed', AttributeMapping: { email: 'email' } }),
    ),
  );
  assert.equal(await certificateOf('Sealed'), before);
});

test('an assertion encrypted to the provider certificate signs the user in', async () => {
  const request = await startSignIn('Sealed', idp);
  const SAMLResponse = await idp.loginResponse({
    audience,
    acsUrl: acs,
    nameId: 'enc-user',
    inResponseTo: request.id,
    issueInstant: clock.now(),
    attributes: { email: 'enc@corp.example' },
    encryptTo: await certificateOf('Sealed'),
  });
  const xml = Buffer.from(SAMLResponse, 'base64').toString('utf8');
  assert.match(xml, /EncryptedAssertion/);
  assert.doesNotMatch(xml, /enc@corp\.example/);
  const claims = await exchange(await post(SAMLResponse, request.relayState));
  assert.equal(claims['cognito:username'], 'sealed_enc-user');
  assert.equal(claims['email'], 'enc@corp.example');
});

test('EncryptedResponses "true" refuses a plaintext assertion; a wrong certificate cannot be read', async () => {
  let request = await startSignIn('Sealed', idp);
  const plaintext = await idp.loginResponse({ audience, acsUrl: acs, nameId: 'x', inResponseTo: request.id, issueInstant: clock.now() });
  assert.equal(await post(plaintext, request.relayState), errorRedirect('SAML assertion is not encrypted.'));

  request = await startSignIn('Sealed', idp);
  const toOther = await idp.loginResponse({
    audience,
    acsUrl: acs,
    nameId: 'x',
    inResponseTo: request.id,
    issueInstant: clock.now(),
    encryptTo: await certificateOf('Plain'),
  });
  assert.equal(await post(toOther, request.relayState), errorRedirect('Unable to decrypt the SAML assertion.'));
});

test('without EncryptedResponses, plaintext and encrypted assertions are both accepted', async () => {
  let request = await startSignIn('Plain', plainIdp);
  const plaintext = await plainIdp.loginResponse({
    audience,
    acsUrl: acs,
    nameId: 'p1',
    inResponseTo: request.id,
    issueInstant: clock.now(),
  });
  assert.equal((await exchange(await post(plaintext, request.relayState)))['cognito:username'], 'plain_p1');

  request = await startSignIn('Plain', plainIdp);
  const encrypted = await plainIdp.loginResponse({
    audience,
    acsUrl: acs,
    nameId: 'p2',
    inResponseTo: request.id,
    issueInstant: clock.now(),
    encryptTo: await certificateOf('Plain'),
  });
  assert.equal((await exchange(await post(encrypted, request.relayState)))['cognito:username'], 'plain_p2');
});

test('the private key never appears in an API answer', async () => {
  answers.push(await server.admin.send(new ListIdentityProvidersCommand({ UserPoolId: poolId })));
  const text = JSON.stringify(answers);
  assert.ok(answers.length >= 8);
  assert.doesNotMatch(text, /PRIVATE KEY/);
  assert.doesNotMatch(text, /EncryptionPrivateKey/);
  // Sealed values (v1.<iv>.<ciphertext>.<tag>) do not leave either.
  assert.doesNotMatch(text, /v1\.[A-Za-z0-9_-]{16}\./);
});
