import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../support/server.js';
import { makeTestCertificate } from '../support/tls.js';

// Amplify v6 builds `https://` URLs for the hosted UI, so the server must be able to speak TLS
// with a configured certificate: here a self-signed one made by openssl (test/support/tls.ts).
let server: TestServer;
let certDir: string;
let agent: Agent;

before(async () => {
  const certificate = makeTestCertificate();
  certDir = certificate.dir;
  server = await startTestServer({ tlsCert: certificate.cert, tlsKey: certificate.key });
  agent = new Agent({ ca: readFileSync(certificate.cert) });
});

after(async () => {
  await server?.stop();
  agent?.destroy();
  rmSync(certDir, { recursive: true, force: true });
});

/** GET over TLS trusting only the test certificate; `host` sets the Host header. */
function get(path: string, host?: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const url = new URL(path, server.url);
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, method: 'GET', headers: host ? { host } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the server listens on HTTPS with the configured certificate and names https URLs', async () => {
  assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const client = new CognitoIdentityProviderClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler({ httpsAgent: agent }),
  });
  const { UserPool } = await client.send(new CreateUserPoolCommand({ PoolName: 'tls' }));
  const poolId = UserPool!.Id!;
  const discovery = await get(`/${poolId}/.well-known/openid-configuration`);
  assert.equal(discovery.status, 200);
  const document = JSON.parse(discovery.body) as { issuer: string; token_endpoint: string };
  assert.equal(document.issuer, `${server.url}/${poolId}`);
  assert.equal(document.token_endpoint, `${server.url}/${poolId}/oauth2/token`);

  // A prefix domain reached by Host over TLS is served as that pool's site.
  await client.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'tls-app' }));
  const port = new URL(server.url).port;
  const byHost = await get('/oauth2/token', `tls-app.auth.localhost:${port}`);
  assert.equal(byHost.status, 405, 'the token endpoint of the domain answers GET with 405');
  const unknownHost = await get('/oauth2/token', `nobody.auth.localhost:${port}`);
  assert.equal(unknownHost.status, 404);
  client.destroy();
});

test('a certificate without its key is refused at start', async () => {
  const { loadConfig } = await import('../../src/config/load.js');
  assert.throws(() => loadConfig({ COGNATE_TLS_CERT: join(certDir, 'cert.pem') }), /set both tlsCert and tlsKey/);
});

test('every HTTPS answer carries Strict-Transport-Security', async () => {
  const hsts = 'max-age=31536000; includeSubDomains';
  for (const path of ['/health/live', '/nobody/.well-known/openid-configuration', '/us-east-1_nobody/oauth2/authorize', '/no-such-path']) {
    const answer = await get(path);
    assert.equal(answer.headers['strict-transport-security'], hsts, `${path} (${answer.status})`);
  }
});
