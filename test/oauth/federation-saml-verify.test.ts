import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import { InvalidParameterException } from '../../src/generated/cognito-idp/errors.js';
import { normalizeSamlProviderDetails, parseIdpMetadata } from '../../src/oauth/federation/saml-metadata.js';
import { SamlResponseError, attributeClaims, verifySamlResponse, type VerifyOptions } from '../../src/oauth/federation/saml-verify.js';
import { authnRequestXml } from '../../src/oauth/federation/saml-request.js';
import { TestSamlIdp, newKeyMaterial } from '../support/saml-idp.js';

const AUDIENCE = 'urn:amazon:cognito:sp:us-east-1_TestPool1';
const ACS = 'http://127.0.0.1:9229/us-east-1_TestPool1/saml2/idpresponse';
const idp = new TestSamlIdp();

function options(overrides: Partial<VerifyOptions> = {}): VerifyOptions {
  return {
    metadata: parseIdpMetadata(idp.metadata(), Date.now()),
    audience: AUDIENCE,
    acsUrl: ACS,
    inResponseTo: '_req1',
    now: Date.now(),
    ...overrides,
  };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SamlResponseError, `expected SamlResponseError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('expected the response to be refused');
}

async function paramError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof InvalidParameterException, `expected InvalidParameterException, got ${String(error)}`);
    return error.message;
  }
  assert.fail('expected InvalidParameterException');
}

test('metadata: entity ID, redirect-binding endpoints and signing certificate are read', () => {
  const metadata = parseIdpMetadata(idp.metadata(), Date.now());
  assert.equal(metadata.entityId, idp.entityId);
  assert.equal(metadata.ssoRedirectUrl, idp.ssoUrl);
  assert.equal(metadata.sloRedirectUrl, idp.sloUrl);
  assert.equal(metadata.signingCertificates.length, 1);
  assert.equal(metadata.signingCertificates[0]!.replace(/\s+/g, ''), idp.keys.certificatePem.replace(/\s+/g, ''));
});

test('normalizeSamlProviderDetails keeps the given keys and adds what Cognito derives', async () => {
  const details = await normalizeSamlProviderDetails({
    MetadataFile: idp.metadata(),
    IDPSignout: 'true',
    RequestSigningAlgorithm: 'rsa-sha256',
  });
  assert.deepEqual(details, {
    MetadataFile: idp.metadata(),
    IDPSignout: 'true',
    RequestSigningAlgorithm: 'rsa-sha256',
    SSORedirectBindingURI: idp.ssoUrl,
    SLORedirectBindingURI: idp.sloUrl,
  });
  // Update requests that echo Describe's derived keys are accepted; the keys are recomputed.
  const echoed = await normalizeSamlProviderDetails({ ...details, SSORedirectBindingURI: 'https://elsewhere.example.com/' });
  assert.equal(echoed['SSORedirectBindingURI'], idp.ssoUrl);
});

test('normalizeSamlProviderDetails refuses bad details with InvalidParameterException', async () => {
  assert.equal(await paramError(normalizeSamlProviderDetails({})), 'At least one of the MetadataURL or MetadataFile should be provided.');
  assert.equal(
    await paramError(normalizeSamlProviderDetails({ IDPSignout: 'true' })),
    'At least one of the MetadataURL or MetadataFile should be provided.',
  );
  assert.equal(await paramError(normalizeSamlProviderDetails({ MetadataFile: '<not xml' })), 'Unable to unmarshall metadata');
  assert.equal(await paramError(normalizeSamlProviderDetails({ MetadataFile: 'plain text' })), 'Unable to unmarshall metadata');
  const doctype = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${idp.metadata()}`;
  assert.equal(await paramError(normalizeSamlProviderDetails({ MetadataFile: doctype })), 'Unable to unmarshall metadata');
  const postOnly = idp.metadata().replace(/<SingleSignOnService[^>]*HTTP-Redirect[^>]*>(<\/SingleSignOnService>)?/, '');
  assert.equal(
    await paramError(normalizeSamlProviderDetails({ MetadataFile: postOnly })),
    'No SingleSignOn Http redirect binding location found in metadata.',
  );
  const noCert = idp.metadata().replace(/<(\w+:)?KeyDescriptor[\s\S]*?<\/(\w+:)?KeyDescriptor>/g, '');
  assert.equal(await paramError(normalizeSamlProviderDetails({ MetadataFile: noCert })), 'No signing certificate found in metadata.');
  const expired = new TestSamlIdp({ keys: newKeyMaterial('old', Date.now() - 3 * 86_400_000, 86_400_000) });
  assert.equal(
    await paramError(normalizeSamlProviderDetails({ MetadataFile: expired.metadata() })),
    'The signing certificate in the metadata has expired.',
  );
  assert.equal(
    await paramError(normalizeSamlProviderDetails({ MetadataFile: idp.metadata(), IDPInit: 'yes' })),
    'IDPInit should be either true or false.',
  );
  assert.equal(
    await paramError(normalizeSamlProviderDetails({ MetadataFile: idp.metadata(), RequestSigningAlgorithm: 'rsa-sha1' })),
    'RequestSigningAlgorithm should be rsa-sha256.',
  );
  assert.equal(
    await paramError(normalizeSamlProviderDetails({ MetadataURL: 'http://127.0.0.1:1/metadata' })),
    'Unable to retrieve metadata from remote metadata source http://127.0.0.1:1/metadata',
  );
});

test('the AuthnRequest parses at a real IdP', async () => {
  const xml = authnRequestXml({ id: '_abc', issueInstant: Date.UTC(2026, 0, 1), destination: idp.ssoUrl, acsUrl: ACS, issuer: AUDIENCE });
  const query = new URLSearchParams({
    SAMLRequest: (await import('node:zlib')).deflateRawSync(xml).toString('base64'),
    RelayState: 'opaque',
  });
  const parsed = await idp.parseRequest(`${idp.ssoUrl}?${query}`, AUDIENCE, ACS);
  assert.equal(parsed.id, '_abc');
  assert.equal(parsed.issuer, AUDIENCE);
  assert.equal(parsed.acsUrl, ACS);
  assert.equal(inflateRawSync(Buffer.from(query.get('SAMLRequest')!, 'base64')).toString(), xml);
});

test('a response with a signed assertion is verified and read', async () => {
  const encoded = await idp.loginResponse({
    audience: AUDIENCE,
    acsUrl: ACS,
    nameId: 'jane@corp.example',
    inResponseTo: '_req1',
    attributes: { email: 'jane@corp.example', groups: ['admins', 'staff'] },
  });
  const verified = await verifySamlResponse(encoded, options());
  assert.equal(verified.nameId, 'jane@corp.example');
  assert.equal(verified.issuer, idp.entityId);
  assert.equal(verified.inResponseTo, '_req1');
  assert.deepEqual({ ...verified.attributes }, { email: ['jane@corp.example'], groups: ['admins', 'staff'] });
  assert.deepEqual(attributeClaims(verified.attributes), { email: 'jane@corp.example', groups: '[admins, staff]' });
});

test('a signed response (assertion unsigned) and a doubly signed one are accepted', async () => {
  for (const sign of ['response', 'both'] as const) {
    const encoded = await idp.loginResponse({ audience: AUDIENCE, acsUrl: ACS, nameId: 'u1', inResponseTo: '_req1', sign });
    assert.equal((await verifySamlResponse(encoded, options())).nameId, 'u1');
  }
});

test('IdP-initiated: no InResponseTo expected, none allowed', async () => {
  const unsolicited = await idp.loginResponse({ audience: AUDIENCE, acsUrl: ACS, nameId: 'u1' });
  assert.equal((await verifySamlResponse(unsolicited, options({ inResponseTo: undefined }))).nameId, 'u1');
  const solicited = await idp.loginResponse({ audience: AUDIENCE, acsUrl: ACS, nameId: 'u1', inResponseTo: '_req1' });
  assert.equal(await refusal(verifySamlResponse(solicited, options({ inResponseTo: undefined }))), 'InResponseTo is not valid.');
  assert.equal(await refusal(verifySamlResponse(unsolicited, options())), 'InResponseTo is not valid.');
});

test('refused: unsigned, signed by another key, tampered after signing', async () => {
  const base = { audience: AUDIENCE, acsUrl: ACS, nameId: 'u1', inResponseTo: '_req1' };
  assert.equal(
    await refusal(verifySamlResponse(await idp.loginResponse({ ...base, sign: 'none' }), options())),
    'SAML Assertion signature is invalid.',
  );

  const impostor = new TestSamlIdp({ entityId: idp.entityId });
  for (const sign of ['assertion', 'response'] as const) {
    assert.equal(
      await refusal(verifySamlResponse(await impostor.loginResponse({ ...base, sign }), options())),
      'SAML Assertion signature is invalid.',
    );
  }

  const signed = Buffer.from(await idp.loginResponse({ ...base, attributes: { email: 'u1@corp.example' } }), 'base64').toString();
  const tampered = Buffer.from(signed.replace('u1@corp.example', 'ceo@corp.example')).toString('base64');
  assert.equal(await refusal(verifySamlResponse(tampered, options())), 'SAML Assertion signature is invalid.');
});

test('refused: a signed assertion wrapped next to an unsigned one (XML signature wrapping)', async () => {
  const signed = Buffer.from(
    await idp.loginResponse({ audience: AUDIENCE, acsUrl: ACS, nameId: 'u1', inResponseTo: '_req1' }),
    'base64',
  ).toString();
  assert.equal((await verifySamlResponse(Buffer.from(signed).toString('base64'), options())).nameId, 'u1');
  // The injected assertion is the signed one with its signature removed, another ID and another
  // NameID: the right issuer, audience, recipient, times and InResponseTo, so only the signature
  // check can tell it from the real one.
  const assertion = /<saml:Assertion [\s\S]*<\/saml:Assertion>/.exec(signed)![0];
  const injected = assertion
    .replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '')
    .replace(/ ID="[^"]+"/, ' ID="_evil"')
    .replace('>u1</saml:NameID>', '>ceo@corp.example</saml:NameID>');
  assert.ok(injected.includes(`<saml:Issuer>${idp.entityId}</saml:Issuer>`) && !injected.includes('Signature'));
  for (const [where, xml] of [
    ['before the signed assertion', signed.replace(assertion, injected + assertion)],
    ['after the signed assertion', signed.replace(assertion, assertion + injected)],
    ['instead of it', signed.replace(assertion, injected)],
  ] as const) {
    assert.equal(
      await refusal(verifySamlResponse(Buffer.from(xml).toString('base64'), options())),
      'SAML Assertion signature is invalid.',
      where,
    );
  }
});

test('refused: wrong audience, recipient, destination, issuer, InResponseTo', async () => {
  const base = { audience: AUDIENCE, acsUrl: ACS, nameId: 'u1', inResponseTo: '_req1' };
  assert.equal(
    await refusal(verifySamlResponse(await idp.loginResponse({ ...base, audience: 'urn:amazon:cognito:sp:other' }), options())),
    'Audience restriction is not satisfied.',
  );
  assert.equal(
    await refusal(verifySamlResponse(await idp.loginResponse({ ...base, recipient: 'https://evil.example.com/acs' }), options())),
    'Recipient does not match the assertion consumer service URL.',
  );
  assert.equal(
    await refusal(verifySamlResponse(await idp.loginResponse({ ...base, destination: 'https://evil.example.com/acs' }), options())),
    'Destination does not match the assertion consumer service URL.',
  );
  assert.equal(
    await refusal(verifySamlResponse(await idp.loginResponse({ ...base, issuer: 'https://other-idp.example.com' }), options())),
    'Issuer does not match the identity provider.',
  );
  assert.equal(
    await refusal(verifySamlResponse(await idp.loginResponse({ ...base, inResponseTo: '_other' }), options())),
    'InResponseTo is not valid.',
  );
});

test('refused: expired and not yet valid assertions, by the given clock', async () => {
  const issued = Date.UTC(2030, 0, 1);
  const encoded = await idp.loginResponse({ audience: AUDIENCE, acsUrl: ACS, nameId: 'u1', inResponseTo: '_req1', issueInstant: issued });
  assert.equal((await verifySamlResponse(encoded, options({ now: issued + 60_000 }))).expiresAt, issued + 5 * 60_000);
  assert.equal(await refusal(verifySamlResponse(encoded, options({ now: issued + 5 * 60_000 + 61_000 }))), 'SAML assertion has expired.');
  assert.equal(await refusal(verifySamlResponse(encoded, options({ now: issued - 61_000 }))), 'SAML assertion is not yet valid.');
});

test('refused: malformed base64 and XML', async () => {
  assert.equal(await refusal(verifySamlResponse('', options())), 'Invalid base64 SAMLResponse.');
  assert.equal(await refusal(verifySamlResponse('%%%not base64%%%', options())), 'Invalid base64 SAMLResponse.');
  assert.equal(
    await refusal(verifySamlResponse(Buffer.from('<unclosed').toString('base64'), options())),
    'Unable to parse the SAML response.',
  );
  assert.equal(await refusal(verifySamlResponse(Buffer.from('<a/>').toString('base64'), options())), 'Unable to parse the SAML response.');
  const doctype = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "y">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>';
  assert.equal(await refusal(verifySamlResponse(Buffer.from(doctype).toString('base64'), options())), 'Unable to parse the SAML response.');
});
