import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { AwsClient } from 'aws4fetch';
import { startTestServer, type TestServer } from '../support/server.js';
import { echoResponse, notForwarded, upstreamForTests } from '../support/upstream.js';
import { parseGatewayApis } from '../../src/domain/gateway.js';
import { FrozenClock } from '../../src/lib/clock.js';

/*
 * What the gateway does with the upstream: an upstream that is down (502) or slow (504 after
 * gatewayTimeout), bodies streamed both ways (a chunked request body larger than bodyLimit on an
 * open route, a response read while the upstream is still writing it), and an IAM route's body
 * held to bodyLimit (413).
 */

const upstream = upstreamForTests();
let server: TestServer;
let deadUrl = '';
/** Every line the server logged, parsed; the server logs at info, with its request line at info too. */
const logLines: Record<string, unknown>[] = [];

/** A URL on which nothing listens: a port that was free a moment ago. */
async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}`;
}

before(async () => {
  await upstream.ready;
  deadUrl = await closedPortUrl();
  const open = { type: 'NONE' };
  const gatewayApis = parseGatewayApis([
    {
      id: 'files',
      upstream: upstream.url,
      stages: ['v1'],
      routes: [
        { method: 'ANY', path: '/{proxy+}', authorizer: open },
        { method: 'POST', path: '/signed', authorizer: { type: 'AWS_IAM' } },
      ],
    },
    { id: 'down', upstream: deadUrl, stages: ['v1'], routes: [{ method: 'ANY', path: '/{proxy+}', authorizer: open }] },
  ]);
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  server = await startTestServer(
    { gatewayApis, gatewayTimeout: 300, requestLogLevel: 'info' },
    { clock: FrozenClock.atNow(), logger: pino({ level: 'info' }, sink) },
  );
});
after(() => server.stop());

/** The lines logged while `fn` ran. */
async function loggedDuring(fn: () => Promise<void>): Promise<Record<string, unknown>[]> {
  const from = logLines.length;
  await fn();
  // pino writes a line as the answer goes out; a tick later it is in the sink.
  await new Promise((resolve) => setImmediate(resolve));
  return logLines.slice(from);
}

test('a forwarded request writes the one request line, as every other request does, and nothing else', async () => {
  const lines = await loggedDuring(async () => {
    const response = await fetch(`${server.url}/_api/files/v1/logged?code=secret-code`);
    assert.equal(response.status, 200);
    await response.text();
  });
  assert.equal(lines.length, 1, JSON.stringify(lines));
  assert.equal(lines[0]!['msg'], 'request');
  assert.equal(lines[0]!['operation'], 'gateway');
  assert.equal(lines[0]!['status'], 200);
  assert.doesNotMatch(JSON.stringify(lines), /secret-code/);
});

test('an upstream that is down is 502 Internal server error, and the failure is logged with the request id and API', async () => {
  const lines = await loggedDuring(async () => {
    const response = await fetch(`${server.url}/_api/down/v1/anything`);
    assert.equal(response.status, 502);
    assert.deepEqual(await response.json(), { message: 'Internal server error' });
  });
  const request = lines.find((line) => line['msg'] === 'request');
  const failure = lines.find((line) => line['msg'] === 'gateway upstream failed');
  assert.equal(request?.['status'], 502);
  assert.equal(failure?.['level'], 40);
  assert.equal(failure['requestId'], request['requestId']);
  assert.equal(failure['apiId'], 'down');
  // @fastify/reply-from adds its own warning ('response errored'); no info line besides the request's.
  assert.deepEqual(
    lines.filter((line) => line['level'] === 30).map((line) => line['msg']),
    ['request'],
  );
});

test('an upstream slower than gatewayTimeout is 504 Endpoint request timed out', async () => {
  const held: ServerResponse[] = [];
  upstream.respond = (_request, response) => void held.push(response);
  try {
    const response = await fetch(`${server.url}/_api/files/v1/slow`);
    assert.equal(response.status, 504);
    assert.deepEqual(await response.json(), { message: 'Endpoint request timed out' });
    assert.equal(held.length, 1, 'the request did reach the upstream, which never answered');
  } finally {
    upstream.respond = echoResponse;
    for (const response of held) response.destroy();
  }
});

test('a chunked request body larger than bodyLimit streams through an open route intact', async () => {
  const chunk = Buffer.alloc(64 * 1024, 'abcdefgh');
  const chunks = 40; // 2.5 MiB, over the 1 MiB bodyLimit
  const expected = createHash('sha256');
  const port = new URL(server.url).port;
  const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path: '/_api/files/v1/upload', method: 'PUT', headers: { 'content-type': 'application/octet-stream' } },
      (res) => {
        let body = '';
        res.on('data', (data: Buffer) => (body += data.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    for (let i = 0; i < chunks; i++) {
      const part = Buffer.from(chunk);
      part.writeUInt32BE(i, 0);
      expected.update(part);
      req.write(part);
    }
    req.end();
  });
  assert.equal(answer.status, 200);
  assert.deepEqual(JSON.parse(answer.body), { method: 'PUT', url: '/upload', bytes: chunk.length * chunks });
  const received = upstream.requests.at(-1)!;
  assert.equal(createHash('sha256').update(received.body).digest('hex'), expected.digest('hex'));
  assert.equal(received.headers['transfer-encoding'], 'chunked');
});

test("the upstream's answer streams to the client while the upstream is still writing it", async () => {
  let finish: () => void = () => undefined;
  const clientHasFirstPart = new Promise<void>((resolve) => (finish = resolve));
  upstream.respond = (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.write('first part;');
    // The rest only once the client has read the first part through the gateway.
    void clientHasFirstPart.then(() => response.end('second part'));
  };
  try {
    const response = await fetch(`${server.url}/_api/files/v1/stream`);
    const reader = response.body!.getReader();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('no first part within 10 s: the answer was buffered')), 10_000);
    });
    const first = await Promise.race([reader.read(), deadline]).finally(() => clearTimeout(timer));
    assert.equal(Buffer.from(first.value!).toString(), 'first part;');
    finish();
    let rest = '';
    for (let part = await reader.read(); !part.done; part = await reader.read()) rest += Buffer.from(part.value).toString();
    assert.equal(rest, 'second part');
  } finally {
    upstream.respond = echoResponse;
  }
});

test('an IAM route reads the body whole to check its signature, up to bodyLimit: beyond it 413, forwarding nothing', async () => {
  const signer = new AwsClient({ ...server.adminKey, service: 'execute-api', region: 'us-east-1', retries: 0 });
  const small = await signer.fetch(`${server.url}/_api/files/v1/signed`, { method: 'POST', body: 'x'.repeat(1000) });
  assert.equal(small.status, 200);
  assert.equal(upstream.requests.at(-1)!.body.toString(), 'x'.repeat(1000));
  const large = await notForwarded(upstream, () =>
    signer.fetch(`${server.url}/_api/files/v1/signed`, { method: 'POST', body: 'x'.repeat(1_048_576 + 1) }),
  );
  assert.equal(large.status, 413);
  assert.deepEqual(await large.json(), { message: 'Request Too Long' });
});
