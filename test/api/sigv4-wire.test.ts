/**
 * SigV4 through the wire: a real server, the AWS SDK's own client and signer, and the exact answers
 * AWS gives. The in-process tests in sigv4.test.ts check the verifier's parts; these check that the
 * server really refuses a request whose signature does not hold (a signature comparison made
 * always-true fails them) and a request scoped to a region the server does not serve.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, sdkClient, signedJsonCall, captureError, type TestServer } from '../support/server.js';

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

let server: TestServer;
let accessKeyId: string;
let secretAccessKey: string;

before(async () => {
  server = await startTestServer();
  const credentials = await server.admin.config.credentials();
  accessKeyId = credentials.accessKeyId;
  secretAccessKey = credentials.secretAccessKey;
});
after(() => server.stop());

interface Signed {
  headers: Record<string, string>;
  body: string;
}

/**
 * Signs a ListUserPools call with the SDK's signer. No x-amz-content-sha256 header (as botocore
 * sends), so a changed body can only be caught by the signature comparison itself.
 */
async function signedListUserPools(region = 'us-east-1'): Promise<Signed> {
  const signed = await signedJsonCall(server.url, 'AWSCognitoIdentityProviderService.ListUserPools', JSON.stringify({ MaxResults: 10 }), {
    accessKeyId,
    secretAccessKey,
    region,
    applyChecksum: false,
  });
  assert.equal(signed.headers['x-amz-content-sha256'], undefined, 'the body is covered only by the signature');
  return signed;
}

async function post(request: Signed): Promise<{ status: number; json: unknown }> {
  const response = await fetch(server.url, { method: 'POST', headers: request.headers, body: request.body });
  return { status: response.status, json: await response.json() };
}

test('the SDK with the known access key id and a wrong secret is refused with AWS signature mismatch', async () => {
  const wrongSecret = sdkClient(server.url, accessKeyId, `${secretAccessKey}-but-wrong`);
  try {
    const error = await captureError(() => wrongSecret.send(new ListUserPoolsCommand({ MaxResults: 10 })));
    assert.equal(error.name, 'InvalidSignatureException');
    assert.equal(error.message, MISMATCH);
    assert.equal(error.$metadata?.httpStatusCode, 400);
  } finally {
    wrongSecret.destroy();
  }
});

test('a request signed correctly is served, and the same request with its body changed after signing is refused', async () => {
  const request = await signedListUserPools();
  const served = await post(request);
  assert.equal(served.status, 200, `the untouched request is served: ${JSON.stringify(served.json)}`);

  const tampered = await post({ ...request, body: JSON.stringify({ MaxResults: 60 }) });
  assert.deepEqual(tampered, { status: 400, json: { __type: 'InvalidSignatureException', message: MISMATCH } });
});

test('a request with a signed header changed after signing is refused', async () => {
  const request = await signedListUserPools();
  // Another admin operation that accepts the same body: only the signature can tell them apart.
  const retargeted = {
    ...request,
    headers: { ...request.headers, 'x-amz-target': 'AWSCognitoIdentityProviderService.ListUserPoolClients' },
  };
  assert.deepEqual(await post(retargeted), { status: 400, json: { __type: 'InvalidSignatureException', message: MISMATCH } });
});

test("the SDK configured for another region than the server's is refused with AWS's region error", async () => {
  const elsewhere = sdkClient(server.url, accessKeyId, secretAccessKey, 'eu-west-1');
  try {
    const error = await captureError(() => elsewhere.send(new ListUserPoolsCommand({ MaxResults: 10 })));
    assert.equal(error.name, 'InvalidSignatureException');
    assert.equal(error.message, "Credential should be scoped to a valid region, not 'eu-west-1'. ");
    assert.equal(error.$metadata?.httpStatusCode, 400);
  } finally {
    elsewhere.destroy();
  }
  const raw = await post(await signedListUserPools('eu-west-1'));
  assert.deepEqual(raw, {
    status: 400,
    json: { __type: 'InvalidSignatureException', message: "Credential should be scoped to a valid region, not 'eu-west-1'. " },
  });
});
