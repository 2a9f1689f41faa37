import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { checkSignerAgainstSmithy, restQuery, restRequest, signRequest, type Signer } from '../../bench/wire.js';
import { verifySigV4 } from '../../src/api/sigv4.js';

/*
 * The benchmark's own SigV4 signer (autocannon's request hooks are synchronous, the SDK's signer is
 * not): the same signatures as @smithy/signature-v4 for the requests the paths send, and accepted
 * by the server's verifier.
 */

const NOW = new Date('2026-12-07T05:04:09Z');
const HOST = '127.0.0.1:9229';
const IDENTITY: Signer = {
  credentials: { accessKeyId: 'ASIAEXAMPLEKEY', secretAccessKey: 'identity-secret', sessionToken: 'session+token/=' },
  region: 'us-east-1',
};

async function smithySignature(
  signer: Signer,
  service: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string,
) {
  const [pathname = '/', query = ''] = path.split('?');
  const signed = await new SignatureV4({
    service,
    region: signer.region,
    credentials: signer.credentials,
    sha256: Sha256,
    applyChecksum: false,
  }).sign(
    new HttpRequest({
      method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 9229,
      path: pathname,
      query: Object.fromEntries(new URLSearchParams(query)),
      headers: { ...headers, host: HOST },
      body,
    }),
    { signingDate: NOW },
  );
  return signed.headers['authorization'];
}

test('the self-check run before every benchmark passes', async () => {
  await checkSignerAgainstSmithy();
});

test('a Cognito Sync UpdateRecords with temporary credentials is signed as the SDK signs it, token included', async () => {
  const path = '/identitypools/us-east-1%3Apool/identities/us-east-1%3Aid/datasets/bench';
  const body = JSON.stringify({ SyncSessionToken: 't', RecordPatches: [{ Op: 'replace', Key: 'k', Value: 'v', SyncCount: 3 }] });
  const headers = signRequest(
    IDENTITY,
    'cognito-sync',
    HOST,
    { method: 'POST', path, headers: { 'content-type': 'application/json' }, body },
    NOW,
  );
  assert.equal(headers['x-amz-security-token'], 'session+token/=');
  assert.match(headers['authorization']!, /SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,/);
  assert.equal(
    headers['authorization'],
    await smithySignature(IDENTITY, 'cognito-sync', 'POST', path, { 'content-type': 'application/json' }, body),
  );
});

test('a query is signed in canonical order, its values encoded once', async () => {
  const path = `/items/a%20b?${restQuery({ z: 'last', a: 'x y+z/é', lastSyncCount: 12 })}`;
  const headers = signRequest(IDENTITY, 'execute-api', HOST, { method: 'GET', path, headers: {}, body: '' }, NOW);
  assert.equal(headers['authorization'], await smithySignature(IDENTITY, 'execute-api', 'GET', path, {}, ''));
});

test("the server's verifier accepts a signed gateway request, and refuses it once the path changes", () => {
  const request = restRequest(HOST, 'GET', '/_api/bench/prod/iam/1', { sign: { signer: IDENTITY, service: 'execute-api' } });
  const verify = (path: string) =>
    verifySigV4(
      { method: 'GET', path, headers: request.headers as Record<string, string>, body: Buffer.alloc(0) },
      {
        service: 'execute-api',
        region: 'us-east-1',
        now: Date.now(),
        secretFor: (id) => (id === 'ASIAEXAMPLEKEY' ? 'identity-secret' : undefined),
      },
    );
  assert.equal(verify('/_api/bench/prod/iam/1').accessKeyId, 'ASIAEXAMPLEKEY');
  assert.throws(() => verify('/_api/bench/prod/iam/2'), { name: 'InvalidSignatureException' });
});
