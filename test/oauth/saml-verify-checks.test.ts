import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIdpMetadata } from '../../src/oauth/federation/saml-metadata.js';
import {
  SAML_CLOCK_SKEW_MS,
  SamlResponseError,
  attributeClaims,
  verifySamlResponse,
  type VerifyOptions,
} from '../../src/oauth/federation/saml-verify.js';
import { TestSamlIdp, newKeyMaterial, type LoginResponseOptions } from '../support/saml-idp.js';

/*
 * Each security check of verifySamlResponse, made to refuse on its own: every response here is
 * validly signed by the IdP and right in all but the one respect under test.
 */

const AUDIENCE = 'urn:amazon:cognito:sp:us-east-1_Checks1';
const ACS = 'http://127.0.0.1:9229/us-east-1_Checks1/saml2/idpresponse';
const ISSUED = Date.UTC(2030, 0, 1);
const EXPIRES = ISSUED + 5 * 60_000;
const idp = new TestSamlIdp();
const sp = newKeyMaterial('sp');
const spCertificate = sp.certificatePem.replace(/-----[^-]+-----|\s/g, '');
/** A confirmation node-saml reads first (it checks only the first one), so ours is read by us alone. */
const DECOY =
  '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:holder-of-key">' +
  '<saml:SubjectConfirmationData NotOnOrAfter="2099-01-01T00:00:00Z" Recipient="https://elsewhere.example.com/acs"/></saml:SubjectConfirmation>';

function options(overrides: Partial<VerifyOptions> = {}): VerifyOptions {
  return {
    metadata: parseIdpMetadata(idp.metadata(), Date.now()),
    audience: AUDIENCE,
    acsUrl: ACS,
    inResponseTo: '_req1',
    now: ISSUED + 60_000,
    ...overrides,
  };
}

function signed(overrides: Partial<LoginResponseOptions> = {}): Promise<string> {
  return idp.loginResponse({ audience: AUDIENCE, acsUrl: ACS, nameId: 'u1', inResponseTo: '_req1', issueInstant: ISSUED, ...overrides });
}

/** Our bearer confirmation's data element, with `attributes` in place of its own. */
function bearerData(attributes: string): (xml: string) => string {
  return (xml) => xml.replace(/<saml:SubjectConfirmationData [^>]*\/>/, `<saml:SubjectConfirmationData ${attributes}/>`);
}

function conditions(attributes: string): (xml: string) => string {
  return (xml) => xml.replace(/<saml:Conditions [^>]*>/, `<saml:Conditions${attributes ? ` ${attributes}` : ''}>`);
}

const withDecoy = (xml: string): string => xml.replace('<saml:SubjectConfirmation ', `${DECOY}<saml:SubjectConfirmation `);
const iso = (ms: number): string => new Date(ms).toISOString();

async function refusal(encoded: string | Promise<string>, overrides: Partial<VerifyOptions> = {}): Promise<string> {
  try {
    await verifySamlResponse(await encoded, options(overrides));
  } catch (error) {
    assert.ok(error instanceof SamlResponseError, `expected SamlResponseError, got ${String(error)}`);
    assert.equal(error.name, 'SamlResponseError');
    return error.message;
  }
  assert.fail('expected the response to be refused');
}

test('base64: line breaks are ignored; empty, too long and impossible lengths are refused', async () => {
  const wrapped = (await signed()).match(/.{1,76}/g)!.join('\r\n');
  assert.equal((await verifySamlResponse(wrapped, options())).nameId, 'u1');
  assert.equal(await refusal(' \n '), 'Invalid base64 SAMLResponse.');
  // 140,000 characters is still read (and is no XML); one more block is refused unread.
  assert.equal(await refusal('A'.repeat(140_000)), 'Unable to parse the SAML response.');
  assert.equal(await refusal('A'.repeat(140_004)), 'Invalid base64 SAMLResponse.');
  assert.equal(await refusal('PGEvP'), 'Invalid base64 SAMLResponse.');
});

test('everything the assertion says is returned, and nothing it does not say', async () => {
  const verified = await verifySamlResponse(await signed({ assertionId: '_a1', attributes: { email: 'u1@corp.example' } }), options());
  assert.deepStrictEqual(
    { ...verified, attributes: { ...verified.attributes } },
    {
      issuer: idp.entityId,
      nameId: 'u1',
      attributes: { email: ['u1@corp.example'] },
      assertionId: '_a1',
      inResponseTo: '_req1',
      expiresAt: EXPIRES,
      nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
      sessionIndex: '_a1',
    },
  );
  const bare = await verifySamlResponse(
    await signed({
      assertionId: '_a2',
      inResponseTo: undefined,
      edit: (xml) => xml.replace(/ Format="[^"]*"/, '').replace(/ SessionIndex="[^"]*"/, ''),
    }),
    options({ inResponseTo: undefined }),
  );
  assert.deepStrictEqual(
    { ...bare, attributes: { ...bare.attributes } },
    { issuer: idp.entityId, nameId: 'u1', attributes: {}, assertionId: '_a2', expiresAt: EXPIRES },
  );
});

test('time window: the clock skew is allowed on both sides, and no more', async () => {
  const encoded = await signed();
  assert.equal((await verifySamlResponse(encoded, options({ now: ISSUED - SAML_CLOCK_SKEW_MS }))).nameId, 'u1');
  assert.equal(await refusal(encoded, { now: ISSUED - SAML_CLOCK_SKEW_MS - 1 }), 'SAML assertion is not yet valid.');
  assert.equal((await verifySamlResponse(encoded, options({ now: EXPIRES + SAML_CLOCK_SKEW_MS - 1 }))).nameId, 'u1');
  assert.equal(await refusal(encoded, { now: EXPIRES + SAML_CLOCK_SKEW_MS }), 'SAML assertion has expired.');
});

test('time window: the confirmation and the conditions each refuse on their own', async () => {
  const soon = ISSUED + 2 * 60_000;
  const later = ISSUED + 10 * 60_000;
  const confirmationEnds = await signed({
    edit: (xml) =>
      conditions(`NotBefore="${iso(ISSUED)}" NotOnOrAfter="${iso(later)}"`)(
        bearerData(`NotOnOrAfter="${iso(soon)}" Recipient="${ACS}" InResponseTo="_req1"`)(xml),
      ),
  });
  assert.equal((await verifySamlResponse(confirmationEnds, options())).expiresAt, soon);
  assert.equal(await refusal(confirmationEnds, { now: soon + SAML_CLOCK_SKEW_MS }), 'SAML assertion has expired.');

  const conditionsEnd = await signed({
    edit: (xml) =>
      conditions(`NotBefore="${iso(ISSUED)}" NotOnOrAfter="${iso(soon)}"`)(
        bearerData(`NotOnOrAfter="${iso(later)}" Recipient="${ACS}" InResponseTo="_req1"`)(xml),
      ),
  });
  assert.equal((await verifySamlResponse(conditionsEnd, options())).expiresAt, soon);
  assert.equal(await refusal(conditionsEnd, { now: soon + SAML_CLOCK_SKEW_MS }), 'SAML assertion has expired.');

  const confirmationStarts = await signed({
    edit: bearerData(`NotBefore="${iso(later)}" NotOnOrAfter="${iso(EXPIRES)}" Recipient="${ACS}" InResponseTo="_req1"`),
  });
  assert.equal(await refusal(confirmationStarts), 'SAML assertion is not yet valid.');
});

test('time window: unreadable times are refused, and one NotOnOrAfter is required', async () => {
  const data = (extra: string): string => `${extra} Recipient="${ACS}" InResponseTo="_req1"`;
  assert.equal(
    await refusal(signed({ edit: bearerData(data(`NotBefore="soon" NotOnOrAfter="${iso(EXPIRES)}"`)) })),
    'Invalid NotBefore time in SAML assertion.',
  );
  assert.equal(
    await refusal(signed({ edit: conditions(`NotBefore="soon" NotOnOrAfter="${iso(EXPIRES)}"`) })),
    'Invalid NotBefore time in SAML assertion.',
  );
  assert.equal(
    await refusal(signed({ edit: (xml) => withDecoy(bearerData(data('NotOnOrAfter="soon"'))(xml)) })),
    'Invalid NotOnOrAfter time in SAML assertion.',
  );

  // Only the conditions end it: that is when it expires.
  const conditionsOnly = await signed({ edit: (xml) => withDecoy(bearerData(data(''))(xml)) });
  assert.equal((await verifySamlResponse(conditionsOnly, options())).expiresAt, EXPIRES);
  const endless = await signed({ edit: (xml) => conditions('')(withDecoy(bearerData(data(''))(xml))) });
  assert.equal(await refusal(endless), 'SAML assertion has no NotOnOrAfter.');
});

test('only a bearer confirmation names the recipient', async () => {
  const holderOfKey = await signed({ edit: (xml) => xml.replace('cm:bearer', 'cm:holder-of-key') });
  assert.equal(await refusal(holderOfKey), 'Recipient does not match the assertion consumer service URL.');
});

test('InResponseTo: the response and the confirmation must both answer our request', async () => {
  const responseElsewhere = await signed({ edit: (xml) => xml.replace('InResponseTo="_req1"', 'InResponseTo="_other"') });
  assert.equal(await refusal(responseElsewhere), 'InResponseTo is not valid.');
  // IdP-initiated: an InResponseTo in either place is refused.
  const onConfirmation = await signed({ edit: (xml) => xml.replace(' InResponseTo="_req1"', '') });
  assert.equal(await refusal(onConfirmation, { inResponseTo: undefined }), 'InResponseTo is not valid.');
  const onResponse = await signed({ edit: (xml) => xml.replace(/ InResponseTo="_req1"\/>/, '/>') });
  assert.equal(await refusal(onResponse, { inResponseTo: undefined }), 'InResponseTo is not valid.');
});

test('refused: an assertion without ID or NameID', async () => {
  const noId = signed({ sign: 'response', edit: (xml) => xml.replace(/(<saml:Assertion [^>]*) ID="[^"]+"/, '$1') });
  assert.equal(await refusal(noId), 'SAML assertion has no ID.');
  assert.equal(await refusal(signed({ nameId: ' ' })), 'SAML assertion has no NameID.');
});

test('refused: a response or assertion element of another name or namespace', async () => {
  const xml = Buffer.from(await signed(), 'base64').toString();
  const otherNamespace = xml.replace(/samlp:Response/g, 'x:Response').replace('<x:Response ', '<x:Response xmlns:x="urn:other" ');
  assert.equal(await refusal(Buffer.from(otherNamespace).toString('base64')), 'Unable to parse the SAML response.');
  assert.equal(
    await refusal(Buffer.from(xml.replace(/samlp:Response/g, 'samlp:Reply')).toString('base64')),
    'Unable to parse the SAML response.',
  );
  const foreignAssertion = signed({
    edit: (text) => text.replace(/saml:Assertion/g, 'x:Assertion').replace('<x:Assertion ', '<x:Assertion xmlns:x="urn:other" '),
  });
  assert.equal(await refusal(foreignAssertion), 'Unable to parse the SAML response.');
});

test('status: anything but Success is refused, even with a signed assertion', async () => {
  assert.equal(
    await refusal(signed({ edit: (xml) => xml.replace('status:Success', 'status:Responder') })),
    'SAML response status is not Success.',
  );
  const noAssertion = (xml: string): string => xml.replace(/<saml:Assertion [\s\S]*<\/saml:Assertion>/, '');
  // node-saml reads the first Status by local name; ours is the SAML one.
  const foreignStatus = (inner: string) => (xml: string) =>
    noAssertion(xml).replace(
      '<samlp:Status>',
      `<x:Status xmlns:x="urn:other"><x:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder">${inner}</x:StatusCode></x:Status><samlp:Status>`,
    );
  assert.equal(await refusal(signed({ sign: 'response', edit: foreignStatus('') })), 'SAML response status is not Success.');
  const noPassive = '<x:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:NoPassive"/>';
  assert.equal(await refusal(signed({ sign: 'response', edit: foreignStatus(noPassive) })), 'SAML response does not contain an assertion.');
  assert.equal(await refusal(signed({ sign: 'response', edit: noAssertion })), 'SAML response does not contain an assertion.');
});

test('failures the verifier reports without a reason stay generic', async () => {
  const twoConditions = (xml: string): string => xml.replace(/(<saml:Conditions[\s\S]*<\/saml:Conditions>)/, '$1$1');
  assert.equal(await refusal(signed({ edit: twoConditions })), 'Unable to process the SAML response.');
  assert.equal(
    await refusal(signed({ edit: twoConditions, encryptTo: spCertificate }), { decryptionKey: sp.privateKeyPem }),
    'Unable to process the SAML response.',
  );
  // Decrypted with the right key, a ciphertext too short to hold its IV is malformed data, not a key that does not fit.
  const encrypted = Buffer.from(await signed({ encryptTo: spCertificate }), 'base64').toString();
  const truncated = encrypted.replace(/(<xenc:EncryptedData[\s\S]*<xenc:CipherValue>)[^<]*/, `$1${Buffer.alloc(8).toString('base64')}`);
  assert.notEqual(truncated, encrypted);
  assert.equal(
    await refusal(Buffer.from(truncated).toString('base64'), { decryptionKey: sp.privateKeyPem }),
    'Unable to process the SAML response.',
  );
});

test('encrypted assertions: read with the key, refused without it or with another', async () => {
  const encrypted = await signed({ encryptTo: spCertificate });
  assert.equal((await verifySamlResponse(encrypted, options({ decryptionKey: sp.privateKeyPem, requireEncryption: true }))).nameId, 'u1');
  assert.equal(await refusal(encrypted), 'Encrypted SAML assertions are not supported.');
  assert.equal(await refusal(encrypted, { decryptionKey: newKeyMaterial('other').privateKeyPem }), 'Unable to decrypt the SAML assertion.');
  assert.equal(await refusal(signed(), { decryptionKey: sp.privateKeyPem, requireEncryption: true }), 'SAML assertion is not encrypted.');
});

test('attributeClaims leaves out attributes without values', () => {
  assert.deepEqual(attributeClaims({ empty: [], one: ['a'] }), { one: 'a' });
});
