import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';

import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

import { hasSignature, verifySigV4 } from '../../src/api/sigv4.js';
import type { IncomingSignedRequest, VerifySigV4Options } from '../../src/api/sigv4.js';
import { CognitoError } from '../../src/errors/cognito-error.js';

const ACCESS_KEY = 'AKIDCOGNATETEST00001';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const HOST = 'cognito-idp.eu-west-1.amazonaws.com';
const SIGNED_AT = Date.UTC(2026, 0, 1, 0, 10, 0);
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

interface SignInput {
  body?: string;
  headers?: Record<string, string>;
  path?: string;
  query?: Record<string, string | string[]>;
  service?: string;
  region?: string;
  secret?: string;
  sessionToken?: string;
  signingDate?: number;
  /** The SDK adds x-amz-content-sha256 unless told not to; other clients (e.g. botocore) never send it. */
  applyChecksum?: boolean;
}

/** Signs with the AWS SDK's own signer so the verifier is checked against the real client behaviour. */
async function sdkSigned(input: SignInput = {}): Promise<IncomingSignedRequest> {
  const body = input.body ?? '{"ClientId":"abc","AuthFlow":"USER_PASSWORD_AUTH"}';
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: ACCESS_KEY,
      secretAccessKey: input.secret ?? SECRET,
      ...(input.sessionToken === undefined ? {} : { sessionToken: input.sessionToken }),
    },
    region: input.region ?? 'eu-west-1',
    service: input.service ?? 'cognito-idp',
    sha256: Sha256,
    applyChecksum: input.applyChecksum ?? true,
  });
  const request = new HttpRequest({
    method: 'POST',
    protocol: 'https:',
    hostname: HOST,
    path: input.path ?? '/',
    query: input.query ?? {},
    headers: input.headers ?? {
      host: HOST,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
    },
    body,
  });
  const signed = await signer.sign(request, {
    signingDate: new Date(input.signingDate ?? SIGNED_AT),
  });
  return toIncoming(signed, Buffer.from(body, 'utf8'));
}

/** What a Node server would see for the SDK's request: lowercase header keys and the encoded request target. */
interface SignedShape {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
}

function toIncoming(req: SignedShape, body: Buffer): IncomingSignedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name.toLowerCase()] = value;
  const query = Object.entries(req.query ?? {}).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : value === null ? [] : [value]).map((v) => `${encodeURIComponent(name)}=${encodeURIComponent(v)}`),
  );
  return {
    method: req.method,
    path: query.length > 0 ? `${req.path}?${query.join('&')}` : req.path,
    headers,
    body,
  };
}

function options(overrides: Partial<VerifySigV4Options> = {}): VerifySigV4Options {
  return {
    secretFor: (id) => (id === ACCESS_KEY ? SECRET : undefined),
    service: 'cognito-idp',
    region: 'eu-west-1',
    now: SIGNED_AT,
    ...overrides,
  };
}

function assertCognitoError(fn: () => unknown, type: string, message: string | RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof CognitoError, `expected a CognitoError, got ${String(err)}`);
    assert.equal(err.type, type);
    assert.equal(err.status, 400);
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}

function withHeader(req: IncomingSignedRequest, name: string, value: string | undefined): IncomingSignedRequest {
  return { ...req, headers: { ...req.headers, [name]: value } };
}

/** The three parameters of the SDK's Authorization header, so a test can reshape the header around them. */
function authParts(req: IncomingSignedRequest): { credential: string; signedHeaders: string; signature: string } {
  const m = /^AWS4-HMAC-SHA256 Credential=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
    String(req.headers['authorization']),
  );
  assert.ok(m, 'unexpected SDK Authorization header');
  return { credential: String(m[1]), signedHeaders: String(m[2]), signature: String(m[3]) };
}

/**
 * A POST / dated by the legacy Date header alone (Date and host signed, or host only). The SDK's signer always
 * drops Date for X-Amz-Date, so this canonical request is written out here and the SDK signs its string to sign.
 */
async function dateHeaderSigned(date: string, signDate = true): Promise<IncomingSignedRequest> {
  const body = '{}';
  const signedHeaders = signDate ? 'date;host' : 'host';
  const canonicalHeaders = `${signDate ? `date:${date}\n` : ''}host:${HOST}\n`;
  const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
  const canonicalRequest = ['POST', '/', '', canonicalHeaders, signedHeaders, sha256(body)].join('\n');
  const scope = '20260101/eu-west-1/cognito-idp/aws4_request';
  const stringToSign = ['AWS4-HMAC-SHA256', '20260101T001000Z', scope, sha256(canonicalRequest)].join('\n');
  const signer = new SignatureV4({
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET },
    region: 'eu-west-1',
    service: 'cognito-idp',
    sha256: Sha256,
  });
  const signature = await signer.sign(stringToSign, { signingDate: new Date(SIGNED_AT) });
  return {
    method: 'POST',
    path: '/',
    body: Buffer.from(body),
    headers: {
      host: HOST,
      date,
      authorization: `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    },
  };
}

describe('verifySigV4 against the AWS SDK signer', () => {
  it('accepts a correctly signed awsJson POST and returns the identity from the scope', async () => {
    const req = await sdkSigned();
    assert.deepEqual(verifySigV4(req, options()), {
      accessKeyId: ACCESS_KEY,
      region: 'eu-west-1',
      service: 'cognito-idp',
    });
  });

  it("rejects a credential scoped to another region than the server's, with AWS's text", async () => {
    const req = await sdkSigned({ region: 'ap-southeast-2' });
    // Captured from AWS (an Elasticsearch endpoint's raw body): the text ends with ". ".
    assertCognitoError(
      () => verifySigV4(req, options()),
      'InvalidSignatureException',
      "Credential should be scoped to a valid region, not 'ap-southeast-2'. ",
    );
  });

  it('accepts a request signed with a session token', async () => {
    const req = await sdkSigned({
      sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN//+=',
    });
    assert.equal(req.headers['x-amz-security-token'], 'FwoGZXIvYXdzEXAMPLETOKEN//+=');
    assert.match(String(req.headers['authorization']), /SignedHeaders=[^,]*x-amz-security-token/);
    assert.equal(verifySigV4(req, options()).accessKeyId, ACCESS_KEY);
  });

  it('rejects a tampered session token, because it is a signed header', async () => {
    const req = await sdkSigned({ sessionToken: 'token-one' });
    assertCognitoError(
      () => verifySigV4(withHeader(req, 'x-amz-security-token', 'token-two'), options()),
      'InvalidSignatureException',
      MISMATCH,
    );
  });

  it('canonicalises encoded paths and multi-valued, unsorted queries exactly like the SDK', async () => {
    const req = await sdkSigned({
      path: '/a%20b/c~d/',
      query: { zeta: 'last', Alpha: ['2 two', '1*one'], 'a-b': "it's" },
    });
    assert.match(req.path, /^\/a%20b\/c~d\/\?/);
    assert.equal(verifySigV4(req, options()).service, 'cognito-idp');
  });

  it('accepts an x-amz-content-sha256 header that matches the body', async () => {
    const body = '{"Username":"alice"}';
    const real = createHash('sha256').update(body).digest('hex');
    const req = await sdkSigned({
      body,
      headers: { host: HOST, 'x-amz-content-sha256': real },
    });
    assert.equal(verifySigV4(req, options()).accessKeyId, ACCESS_KEY);
  });

  it('rejects a validly signed x-amz-content-sha256 that does not match the body actually sent', async () => {
    // The SDK signs the declared hash, so only comparing it with the real bytes catches a swapped body.
    const declared = createHash('sha256').update('{"Username":"alice"}').digest('hex');
    const req = await sdkSigned({
      body: '{"Username":"mallory"}',
      headers: { host: HOST, 'x-amz-content-sha256': declared },
    });
    assertCognitoError(() => verifySigV4(req, options()), 'InvalidSignatureException', MISMATCH);
  });

  it('rejects UNSIGNED-PAYLOAD, since the body would not be covered by the signature', async () => {
    const req = await sdkSigned({
      headers: { host: HOST, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
    assertCognitoError(() => verifySigV4(req, options()), 'InvalidSignatureException', MISMATCH);
  });

  it('rejects a signature made with the wrong secret', async () => {
    const req = await sdkSigned({ secret: 'not-the-secret' });
    assertCognitoError(() => verifySigV4(req, options()), 'InvalidSignatureException', MISMATCH);
  });

  it('rejects an unknown access key id', async () => {
    const req = await sdkSigned();
    assertCognitoError(
      () => verifySigV4(req, options({ secretFor: () => undefined })),
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  });

  it('rejects a tampered body', async () => {
    const req = await sdkSigned();
    const tampered = {
      ...req,
      body: Buffer.from('{"ClientId":"evil","AuthFlow":"USER_PASSWORD_AUTH"}'),
    };
    assertCognitoError(() => verifySigV4(tampered, options()), 'InvalidSignatureException', MISMATCH);
  });

  it('rejects a tampered body when no x-amz-content-sha256 header was sent', async () => {
    const req = await sdkSigned({ applyChecksum: false });
    assert.equal(req.headers['x-amz-content-sha256'], undefined);
    assert.equal(verifySigV4(req, options()).accessKeyId, ACCESS_KEY);
    const tampered = {
      ...req,
      body: Buffer.from('{"ClientId":"evil","AuthFlow":"USER_PASSWORD_AUTH"}'),
    };
    assertCognitoError(() => verifySigV4(tampered, options()), 'InvalidSignatureException', MISMATCH);
  });

  it('rejects a tampered signed header (x-amz-target)', async () => {
    const req = await sdkSigned();
    const tampered = withHeader(req, 'x-amz-target', 'AWSCognitoIdentityProviderService.AdminDeleteUser');
    assertCognitoError(() => verifySigV4(tampered, options()), 'InvalidSignatureException', MISMATCH);
  });

  it('rejects a tampered method, path or query', async () => {
    const req = await sdkSigned({ query: { a: '1' } });
    assertCognitoError(() => verifySigV4({ ...req, method: 'PUT' }, options()), 'InvalidSignatureException', MISMATCH);
    assertCognitoError(() => verifySigV4({ ...req, path: '/other?a=1' }, options()), 'InvalidSignatureException', MISMATCH);
    assertCognitoError(() => verifySigV4({ ...req, path: '/?a=2' }, options()), 'InvalidSignatureException', MISMATCH);
  });

  it('ignores unsigned headers such as user-agent', async () => {
    const req = await sdkSigned();
    assert.equal(verifySigV4(withHeader(req, 'user-agent', 'curl/8'), options()).accessKeyId, ACCESS_KEY);
  });

  it('rejects a malformed or truncated signature as a mismatch', async () => {
    const req = await sdkSigned();
    const auth = String(req.headers['authorization']);
    for (const sig of ['abc', 'A'.repeat(64), `${auth.slice(-64)}00`]) {
      const forged = withHeader(req, 'authorization', auth.replace(/Signature=[0-9a-f]+/, `Signature=${sig}`));
      assertCognitoError(() => verifySigV4(forged, options()), 'InvalidSignatureException', MISMATCH);
    }
  });

  it("rejects a credential scoped to another service ('sts')", async () => {
    const req = await sdkSigned({ service: 'sts' });
    assertCognitoError(
      () => verifySigV4(req, options()),
      'InvalidSignatureException',
      "Credential should be scoped to correct service: 'cognito-idp'. ",
    );
  });

  it('lists every wrong part of the scope in one message, in the order AWS does', async () => {
    const req = await sdkSigned({ region: 'us-west-2', service: 'sts' });
    const auth = String(req.headers['authorization']);
    const bad = withHeader(req, 'authorization', auth.replace('/aws4_request', '/aws5_request').replace('/20260101/', '/20251231/'));
    // The order and the joins are those of a captured Coral (DynamoDB) answer with every part wrong.
    assertCognitoError(
      () => verifySigV4(bad, options()),
      'InvalidSignatureException',
      "Credential should be scoped to a valid region, not 'us-west-2'. " +
        "Credential should be scoped to correct service: 'cognito-idp'. " +
        "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. " +
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20251231' != '20260101', from '20260101T001000Z'.",
    );
  });

  it("rejects a scope date that differs from x-amz-date's date", async () => {
    const req = await sdkSigned();
    const moved = withHeader(req, 'x-amz-date', '20260102T001000Z');
    assertCognitoError(
      () => verifySigV4(moved, options({ now: Date.UTC(2026, 0, 2, 0, 10, 0) })),
      'InvalidSignatureException',
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20260101' != '20260102', from '20260102T001000Z'.",
    );
  });

  it('rejects a request signed 10 minutes before now as expired', async () => {
    const req = await sdkSigned({ signingDate: SIGNED_AT - 10 * 60_000 });
    assertCognitoError(
      () => verifySigV4(req, options()),
      'InvalidSignatureException',
      'Signature expired: 20260101T000000Z is now earlier than 20260101T000500Z (20260101T001000Z - 5 min.)',
    );
  });

  it('rejects a request signed 10 minutes after now as not yet current', async () => {
    const req = await sdkSigned({ signingDate: SIGNED_AT + 10 * 60_000 });
    assertCognitoError(
      () => verifySigV4(req, options()),
      'InvalidSignatureException',
      'Signature not yet current: 20260101T002000Z is still later than 20260101T001500Z (20260101T001000Z + 5 min.)',
    );
  });

  it('accepts skew up to the limit and honours a custom maxSkewMs', async () => {
    const req = await sdkSigned({ signingDate: SIGNED_AT - 5 * 60_000 });
    assert.equal(verifySigV4(req, options()).accessKeyId, ACCESS_KEY);
    assertCognitoError(
      () => verifySigV4(req, options({ maxSkewMs: 60_000 })),
      'InvalidSignatureException',
      'Signature expired: 20260101T000500Z is now earlier than 20260101T000900Z (20260101T001000Z - 1 min.)',
    );
  });
});

describe('verifySigV4 malformed requests', () => {
  it('throws MissingAuthenticationTokenException without an Authorization header', async () => {
    const req = withHeader(await sdkSigned(), 'authorization', undefined);
    assertCognitoError(() => verifySigV4(req, options()), 'MissingAuthenticationTokenException', 'Missing Authentication Token');
  });

  it('throws IncompleteSignatureException for a garbage or non-SigV4 Authorization header', async () => {
    const req = await sdkSigned();
    for (const garbage of ['garbage', 'Bearer eyJhbGciOi.secret.token', '']) {
      assertCognitoError(
        () => verifySigV4(withHeader(req, 'authorization', garbage), options()),
        'IncompleteSignatureException',
        "Authorization header must use the 'AWS4-HMAC-SHA256' algorithm.",
      );
    }
    assertCognitoError(
      () => verifySigV4(withHeader(req, 'authorization', 'AWS4-HMAC-SHA256 nonsense'), options()),
      'IncompleteSignatureException',
      'Invalid key=value pair (missing equal-sign) in Authorization header.',
    );
  });

  it('lists every missing parameter without echoing the header', async () => {
    const req = await sdkSigned();
    const noSigParts = withHeader(
      req,
      'authorization',
      `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/20260101/eu-west-1/cognito-idp/aws4_request`,
    );
    assertCognitoError(
      () => verifySigV4(noSigParts, options()),
      'IncompleteSignatureException',
      "Authorization header requires 'SignedHeaders' parameter. Authorization header requires 'Signature' parameter.",
    );
    const bare = withHeader(withHeader(req, 'authorization', 'AWS4-HMAC-SHA256 '), 'x-amz-date', undefined);
    assertCognitoError(
      () => verifySigV4(bare, options()),
      'IncompleteSignatureException',
      "Authorization header requires 'Credential' parameter. Authorization header requires 'SignedHeaders' parameter. " +
        "Authorization header requires 'Signature' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  });

  it('rejects a malformed credential scope', async () => {
    const req = await sdkSigned();
    const auth = String(req.headers['authorization']);
    const cases: [string, string][] = [
      [
        `${ACCESS_KEY}/20260101/eu-west-1/cognito-idp`,
        'Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term.',
      ],
    ];
    for (const [credential, message] of cases) {
      const bad = withHeader(req, 'authorization', auth.replace(/Credential=[^,]+/, `Credential=${credential}`));
      assertCognitoError(() => verifySigV4(bad, options()), 'IncompleteSignatureException', message);
    }
    // A wrong terminator or an empty region is a wrong scope, as in AWS's answers (MediaStore: "not ''").
    const wrongScope: [string, string][] = [
      [
        `${ACCESS_KEY}/20260101/eu-west-1/cognito-idp/aws5_request`,
        "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. ",
      ],
      [`${ACCESS_KEY}/20260101//cognito-idp/aws4_request`, "Credential should be scoped to a valid region, not ''. "],
    ];
    for (const [credential, message] of wrongScope) {
      const bad = withHeader(req, 'authorization', auth.replace(/Credential=[^,]+/, `Credential=${credential}`));
      assertCognitoError(() => verifySigV4(bad, options()), 'InvalidSignatureException', message);
    }
  });

  it('requires host to be signed', async () => {
    const unsignedHost = await sdkSigned({
      headers: { 'content-type': 'application/x-amz-json-1.1' },
    });
    const req = withHeader(unsignedHost, 'host', HOST);
    assertCognitoError(
      () => verifySigV4(req, options()),
      'IncompleteSignatureException',
      "'Host' must be a 'SignedHeader' in the AWS Authorization.",
    );
  });

  it('requires x-amz-date to be signed and well-formed', async () => {
    const req = await sdkSigned();
    const auth = String(req.headers['authorization']);
    const unsigned = withHeader(req, 'authorization', auth.replace(/SignedHeaders=[^,]+/, 'SignedHeaders=content-type;host;x-amz-target'));
    assertCognitoError(
      () => verifySigV4(unsigned, options()),
      'IncompleteSignatureException',
      "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.",
    );
    for (const bad of ['2026-01-01T00:10:00Z', '20261301T001000Z', 'yesterday']) {
      assertCognitoError(
        () => verifySigV4(withHeader(req, 'x-amz-date', bad), options()),
        'IncompleteSignatureException',
        "Date must be in ISO-8601 'basic format' (YYYYMMDD'T'HHMMSS'Z') in the 'X-Amz-Date' header.",
      );
    }
  });
});

describe('verifySigV4 canonicalisation, checked against the AWS SDK signer', () => {
  it('normalises the path as the SDK does: empty, "." and ".." segments, and a trailing slash only when there was one', async () => {
    for (const path of ['/a', '/a/b/', '/a//b', '/a/./b', '/a/../b', '/a/b/..', '/./a/', '/../a']) {
      const req = await sdkSigned({ path });
      assert.equal(req.path, path);
      assert.equal(verifySigV4(req, options()).accessKeyId, ACCESS_KEY, path);
    }
    // Paths that normalise alike carry the same signature; paths that do not are refused.
    const signed = await sdkSigned({ path: '/a/../b' });
    assert.equal(verifySigV4({ ...signed, path: '/b' }, options()).accessKeyId, ACCESS_KEY);
    for (const other of ['/a/b', '/b/', '/a/..b']) {
      assertCognitoError(() => verifySigV4({ ...signed, path: other }, options()), 'InvalidSignatureException', MISMATCH);
    }
    const noSlash = await sdkSigned({ path: '/a' });
    assertCognitoError(() => verifySigV4({ ...noSlash, path: '/a/' }, options()), 'InvalidSignatureException', MISMATCH);
  });

  it('ignores a fragment after the path or the query', async () => {
    const bare = await sdkSigned();
    assert.equal(verifySigV4({ ...bare, path: '/#part' }, options()).accessKeyId, ACCESS_KEY);
    const withQuery = await sdkSigned({ query: { a: '1' } });
    assert.equal(withQuery.path, '/?a=1');
    assert.equal(verifySigV4({ ...withQuery, path: '/?a=1#part' }, options()).accessKeyId, ACCESS_KEY);
    assertCognitoError(() => verifySigV4({ ...withQuery, path: '/?a=1&b=2#part' }, options()), 'InvalidSignatureException', MISMATCH);
  });

  it('sorts query parameters by name and then by value, whatever their order on the wire', async () => {
    const queries: Record<string, string | string[]>[] = [
      { b: '1', a: '2' },
      { a: '2', b: '1' },
      { k: ['1', '2'] },
      { k: ['2', '1'] },
      { k: ['3', '1', '2'] },
      { k: ['b', 'a'], j: 'z', l: ['y', 'x'] },
    ];
    for (const query of queries) {
      const req = await sdkSigned({ query });
      assert.equal(verifySigV4(req, options()).accessKeyId, ACCESS_KEY, req.path);
    }
    // The same values under other names are another request.
    const req = await sdkSigned({ query: { a: '2', b: '1' } });
    assertCognitoError(() => verifySigV4({ ...req, path: '/?a=1&b=2' }, options()), 'InvalidSignatureException', MISMATCH);
  });

  it("reads a query parameter without '=' as one with an empty value", async () => {
    const req = await sdkSigned({ query: { flag: '', a: '1' } });
    assert.equal(req.path, '/?flag=&a=1');
    for (const path of ['/?flag=&a=1', '/?flag&a=1', '/?a=1&flag']) {
      assert.equal(verifySigV4({ ...req, path }, options()).accessKeyId, ACCESS_KEY, path);
    }
    for (const path of ['/?fla&a=1', '/?flag=flag&a=1', '/?a=1']) {
      assertCognitoError(() => verifySigV4({ ...req, path }, options()), 'InvalidSignatureException', MISMATCH);
    }
  });

  it('trims header values and folds whitespace runs and line breaks to one space, as the SDK does', async () => {
    const req = await sdkSigned({
      headers: {
        host: HOST,
        'x-amz-target': '  AWSCognitoIdentityProviderService.InitiateAuth  ',
        'x-one': 'a\nb',
        'x-two': 'a \t  b',
        'x-three': 'a\r\n  b',
      },
    });
    assert.match(
      String(req.headers['authorization']),
      /SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-target;x-one;x-three;x-two,/,
    );
    assert.equal(verifySigV4(req, options()).accessKeyId, ACCESS_KEY);
    const alike: [string, string][] = [
      ['x-amz-target', 'AWSCognitoIdentityProviderService.InitiateAuth'],
      ['x-one', ' a b'],
      ['x-two', 'a\tb'],
      ['x-three', 'a b\n'],
    ];
    for (const [name, value] of alike) {
      assert.equal(verifySigV4(withHeader(req, name, value), options()).accessKeyId, ACCESS_KEY, name);
    }
    const different: [string, string][] = [
      ['x-one', 'ab'],
      ['x-two', 'ab'],
      ['x-three', 'a c'],
    ];
    for (const [name, value] of different) {
      assertCognitoError(() => verifySigV4(withHeader(req, name, value), options()), 'InvalidSignatureException', MISMATCH);
    }
  });

  it('joins the values of a repeated header with commas, each trimmed, as SigV4 signs them', async () => {
    const req = await sdkSigned({ headers: { host: HOST, 'x-multi': 'a,b c' } });
    const repeated = (values: string[]): IncomingSignedRequest => ({ ...req, headers: { ...req.headers, 'x-multi': values } });
    assert.equal(verifySigV4(repeated(['a', ' b  c ']), options()).accessKeyId, ACCESS_KEY);
    assertCognitoError(() => verifySigV4(repeated(['a', 'b', 'c']), options()), 'InvalidSignatureException', MISMATCH);
  });

  it('canonicalises a signed header that was signed empty and is absent as empty', async () => {
    const req = await sdkSigned({ headers: { host: HOST, 'x-empty': '' } });
    assert.match(String(req.headers['authorization']), /SignedHeaders=[^,]*x-empty/);
    assert.equal(verifySigV4(withHeader(req, 'x-empty', undefined), options()).accessKeyId, ACCESS_KEY);
    const nonEmpty = await sdkSigned({ headers: { host: HOST, 'x-full': 'v' } });
    assertCognitoError(() => verifySigV4(withHeader(nonEmpty, 'x-full', undefined), options()), 'InvalidSignatureException', MISMATCH);
  });

  it('reads Authorization and X-Amz-Date given as arrays by joining them with commas', async () => {
    const req = await sdkSigned();
    const auth = String(req.headers['authorization']);
    assert.equal(verifySigV4({ ...req, headers: { ...req.headers, authorization: [auth] } }, options()).accessKeyId, ACCESS_KEY);
    assertCognitoError(
      () => verifySigV4({ ...req, headers: { ...req.headers, authorization: [] } }, options()),
      'MissingAuthenticationTokenException',
      'Missing Authentication Token',
    );
    assertCognitoError(
      () => verifySigV4({ ...req, headers: { ...req.headers, 'x-amz-date': ['20260101', 'T001000Z'] } }, options()),
      'IncompleteSignatureException',
      "Date must be in ISO-8601 'basic format' (YYYYMMDD'T'HHMMSS'Z') in the 'X-Amz-Date' header.",
    );
  });

  it('takes x-amz-content-sha256 as the payload hash as sent, in either case, once it matches the body', async () => {
    const body = '{"Username":"alice"}';
    const upper = createHash('sha256').update(body).digest('hex').toUpperCase();
    const req = await sdkSigned({ body, headers: { host: HOST, 'x-amz-content-sha256': upper } });
    assert.equal(verifySigV4(req, options()).accessKeyId, ACCESS_KEY);
  });
});

describe('verifySigV4 Authorization header parsing', () => {
  it('tolerates whitespace around the header, its parameters and their "=", and empty parameters', async () => {
    const req = await sdkSigned();
    const { credential, signedHeaders, signature } = authParts(req);
    const spaced = `  AWS4-HMAC-SHA256   Credential = ${credential} , ,SignedHeaders=  ${signedHeaders},, Signature =${signature}  `;
    assert.equal(verifySigV4(withHeader(req, 'authorization', spaced), options()).accessKeyId, ACCESS_KEY);
    assert.equal(hasSignature(withHeader(req, 'authorization', spaced)), true);
  });

  it('refuses a duplicate parameter, naming it without echoing the header', async () => {
    const req = await sdkSigned();
    const { credential, signedHeaders, signature } = authParts(req);
    const base = `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
    const cases: [string, string][] = [
      [`${base}, Signature=${signature}`, 'Signature'],
      [`${base}, Credential=${credential}`, 'Credential'],
      [`${base}, SignedHeaders=host`, 'SignedHeaders'],
      [`${base}, Sig<script>=1, Sig<script>=2`, 'Sigscript'],
    ];
    for (const [authorization, name] of cases) {
      assertCognitoError(
        () => verifySigV4(withHeader(req, 'authorization', authorization), options()),
        'IncompleteSignatureException',
        `Authorization header contains a duplicate '${name}' parameter.`,
      );
    }
  });

  it('treats an empty parameter value as a missing parameter', async () => {
    const req = await sdkSigned();
    const { credential, signedHeaders, signature } = authParts(req);
    const cases: [string, string][] = [
      [`AWS4-HMAC-SHA256 Credential=, SignedHeaders=${signedHeaders}, Signature=${signature}`, 'Credential'],
      [`AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders= , Signature=${signature}`, 'SignedHeaders'],
      [`AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${signedHeaders}, Signature=`, 'Signature'],
    ];
    for (const [authorization, name] of cases) {
      assertCognitoError(
        () => verifySigV4(withHeader(req, 'authorization', authorization), options()),
        'IncompleteSignatureException',
        `Authorization header requires '${name}' parameter.`,
      );
    }
  });

  it('refuses an empty access key id or a credential date that is not exactly 8 digits', async () => {
    const req = await sdkSigned();
    const { signedHeaders, signature } = authParts(req);
    const withCredential = (credential: string): IncomingSignedRequest =>
      withHeader(req, 'authorization', `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${signedHeaders}, Signature=${signature}`);
    assertCognitoError(
      () => verifySigV4(withCredential('/20260101/eu-west-1/cognito-idp/aws4_request'), options()),
      'IncompleteSignatureException',
      "Authorization header requires a non-empty access key id in 'Credential'.",
    );
    for (const date of ['', '2026011', '202601011', 'x20260101', '20260101x', '2026-01-01', '2026010a']) {
      assertCognitoError(
        () => verifySigV4(withCredential(`${ACCESS_KEY}/${date}/eu-west-1/cognito-idp/aws4_request`), options()),
        'IncompleteSignatureException',
        'Credential should be scoped to a valid date (YYYYMMDD).',
      );
    }
  });

  it('refuses SignedHeaders with an empty, upper-case or whitespace-holding name', async () => {
    const req = await sdkSigned();
    const { credential, signature } = authParts(req);
    for (const signedHeaders of [
      'content-type;host;x-amz-date;X-Amz-Target',
      'HOST;x-amz-date',
      'host;;x-amz-date',
      'host;x-amz-date;',
      ';host;x-amz-date',
      'host; x-amz-date',
      'host;x-amz-date ;x-amz-target',
    ]) {
      const authorization = `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
      assertCognitoError(
        () => verifySigV4(withHeader(req, 'authorization', authorization), options()),
        'IncompleteSignatureException',
        "'SignedHeaders' must be a ';'-separated list of lowercase header names.",
      );
    }
  });

  it('limits what a client-chosen region can put into the error message', async () => {
    const req = await sdkSigned();
    const { signedHeaders, signature } = authParts(req);
    const withRegion = (region: string): IncomingSignedRequest =>
      withHeader(
        req,
        'authorization',
        `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/20260101/${region}/cognito-idp/aws4_request, SignedHeaders=${signedHeaders}, Signature=${signature}`,
      );
    assertCognitoError(
      () => verifySigV4(withRegion("eu<script>'-1"), options()),
      'InvalidSignatureException',
      "Credential should be scoped to a valid region, not 'euscript-1'. ",
    );
    assertCognitoError(
      () => verifySigV4(withRegion('r'.repeat(100)), options()),
      'InvalidSignatureException',
      `Credential should be scoped to a valid region, not '${'r'.repeat(64)}'. `,
    );
  });
});

describe('verifySigV4 request date', () => {
  it('trims X-Amz-Date but refuses anything before or after the ISO 8601 basic date', async () => {
    const req = await sdkSigned();
    assert.equal(verifySigV4(withHeader(req, 'x-amz-date', ' 20260101T001000Z\t'), options()).accessKeyId, ACCESS_KEY);
    for (const bad of ['x20260101T001000Z', '20260101T001000Zx', '20260101T001000', '20260101T001000Z Z', '120260101T001000Z']) {
      assertCognitoError(
        () => verifySigV4(withHeader(req, 'x-amz-date', bad), options()),
        'IncompleteSignatureException',
        "Date must be in ISO-8601 'basic format' (YYYYMMDD'T'HHMMSS'Z') in the 'X-Amz-Date' header.",
      );
    }
  });

  it('falls back to a signed Date header, as an HTTP-date or in ISO 8601 basic format', async () => {
    for (const date of ['Thu, 01 Jan 2026 00:10:00 GMT', '20260101T001000Z']) {
      const req = await dateHeaderSigned(date);
      assert.equal(verifySigV4(req, options()).accessKeyId, ACCESS_KEY, date);
    }
    // Only a value that is exactly in ISO basic format is read as one; anything else goes to the HTTP-date parser.
    const trailing = await dateHeaderSigned('Thu, 01 Jan 2026 00:10:00 GMT (20260101T001000Z');
    assert.equal(verifySigV4(trailing, options()).accessKeyId, ACCESS_KEY);
  });

  it("requires the Date header to be signed and readable, naming it as 'Date'", async () => {
    const unsigned = await dateHeaderSigned('Thu, 01 Jan 2026 00:10:00 GMT', false);
    assertCognitoError(
      () => verifySigV4(unsigned, options()),
      'IncompleteSignatureException',
      "'Date' must be a 'SignedHeader' in the AWS Authorization.",
    );
    for (const bad of ['yesterday', '2026-13-45', '20261301T001000Z']) {
      const req = await dateHeaderSigned(bad);
      assertCognitoError(
        () => verifySigV4(req, options()),
        'IncompleteSignatureException',
        "Date must be in ISO-8601 'basic format' (YYYYMMDD'T'HHMMSS'Z') in the 'Date' header.",
      );
    }
  });

  it('accepts a request time exactly at the skew limit on either side, and not a second beyond', async () => {
    for (const signingDate of [SIGNED_AT - 5 * 60_000, SIGNED_AT + 5 * 60_000]) {
      const req = await sdkSigned({ signingDate });
      assert.equal(verifySigV4(req, options()).accessKeyId, ACCESS_KEY);
    }
    const beyond = await sdkSigned({ signingDate: SIGNED_AT + 5 * 60_000 + 1000 });
    assertCognitoError(
      () => verifySigV4(beyond, options()),
      'InvalidSignatureException',
      'Signature not yet current: 20260101T001501Z is still later than 20260101T001500Z (20260101T001000Z + 5 min.)',
    );
  });
});

describe('verifySigV4 against published AWS SigV4 test-suite vectors', () => {
  const suiteSecret = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
  const suiteOptions = (service: string, now: number): VerifySigV4Options => ({
    secretFor: (id) => (id === 'AKIDEXAMPLE' ? suiteSecret : undefined),
    service,
    region: 'us-east-1',
    now,
  });

  it('get-vanilla (2015 suite, x-amz-date)', () => {
    const req: IncomingSignedRequest = {
      method: 'GET',
      path: '/',
      body: Buffer.alloc(0),
      headers: {
        host: 'example.amazonaws.com',
        'x-amz-date': '20150830T123600Z',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, ' +
          'Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
      },
    };
    const now = Date.UTC(2015, 7, 30, 12, 36, 0);
    assert.deepEqual(verifySigV4(req, suiteOptions('service', now)), {
      accessKeyId: 'AKIDEXAMPLE',
      region: 'us-east-1',
      service: 'service',
    });
  });

  it('get-vanilla-query-order-key-case (2015 suite)', () => {
    const req: IncomingSignedRequest = {
      method: 'GET',
      path: '/?Param2=value2&Param1=value1',
      body: Buffer.alloc(0),
      headers: {
        host: 'example.amazonaws.com',
        'x-amz-date': '20150830T123600Z',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, ' +
          'Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
      },
    };
    assert.equal(verifySigV4(req, suiteOptions('service', Date.UTC(2015, 7, 30, 12, 36, 0))).service, 'service');
  });

  it('get-vanilla (2011 suite) falls back to an RFC 7231 Date header when x-amz-date is absent', () => {
    const req: IncomingSignedRequest = {
      method: 'GET',
      path: '/',
      body: Buffer.alloc(0),
      headers: {
        host: 'host.foo.com',
        date: 'Mon, 09 Sep 2011 23:36:00 GMT',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20110909/us-east-1/host/aws4_request, SignedHeaders=date;host, ' +
          'Signature=b27ccfbfa7df52a200ff74193ca6e32d4b48b8856fab7ebf1c595d0670a7e470',
      },
    };
    assert.equal(verifySigV4(req, suiteOptions('host', Date.UTC(2011, 8, 9, 23, 36, 0))).region, 'us-east-1');
  });
});

describe('hasSignature', () => {
  const base: IncomingSignedRequest = {
    method: 'POST',
    path: '/',
    headers: { host: HOST },
    body: Buffer.alloc(0),
  };

  it('is false for unsigned requests and other auth schemes', () => {
    assert.equal(hasSignature(base), false);
    assert.equal(hasSignature(withHeader(base, 'authorization', 'Bearer abc.def.ghi')), false);
    assert.equal(hasSignature({ ...base, path: '/?X-Amz-Date=20260101T000000Z' }), false);
  });

  it('is true for a SigV4 Authorization header, even a malformed one', async () => {
    assert.equal(hasSignature(await sdkSigned()), true);
    assert.equal(hasSignature(withHeader(base, 'authorization', 'AWS4-HMAC-SHA256 junk')), true);
    assert.equal(hasSignature(withHeader(base, 'authorization', ' \tAWS4-HMAC-SHA256 junk')), true);
  });

  it('is true for a presigned (X-Amz-Signature) query, which verifySigV4 does not accept', async () => {
    const signer = new SignatureV4({
      credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET },
      region: 'eu-west-1',
      service: 'cognito-idp',
      sha256: Sha256,
    });
    const presigned = await signer.presign(
      new HttpRequest({
        method: 'GET',
        protocol: 'https:',
        hostname: HOST,
        path: '/',
        headers: { host: HOST },
      }),
      {
        signingDate: new Date(SIGNED_AT),
      },
    );
    const req = toIncoming(presigned, Buffer.alloc(0));
    assert.match(req.path, /X-Amz-Signature=[0-9a-f]{64}/);
    assert.equal(hasSignature(req), true);
    assertCognitoError(() => verifySigV4(req, options()), 'MissingAuthenticationTokenException', 'Missing Authentication Token');
  });
});
