import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseWrkReport, startWrk, wrkAvailable, wrkScript } from '../../bench/wrk.js';
import { runningInCi } from '../support/postgres.js';

/**
 * The benchmark's wrk driver against a real wrk and a local server: the request arrives byte for
 * byte as the benchmark built it, and the totals and latencies come back from wrk's own report.
 */

const skip = !wrkAvailable() && !runningInCi() ? 'wrk is not installed (Debian package wrk; .ci/run installs it)' : false;

const REQUEST = {
  method: 'POST',
  path: '/oauth2/token?x=1',
  headers: { host: '127.0.0.1', 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic YWI6Y2Q=' },
  body: 'grant_type=client_credentials&scope=r%2Fread "quoted" \\ é\n',
};

async function withServer(
  answer: (request: IncomingMessage, body: string, response: ServerResponse) => void,
  run: (url: string) => Promise<void>,
): Promise<void> {
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => answer(request, body, response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

test('wrk sends the prepared request unchanged and reports what came back', { skip }, async () => {
  const seen = new Set<string>();
  await withServer(
    (request, body, response) => {
      seen.add(JSON.stringify([request.method, request.url, request.headers['content-type'], request.headers.authorization, body]));
      response.end('{}');
    },
    async (url) => {
      const result = await startWrk(url, REQUEST, 2, 1).done;
      // Behaviour, not speed: requests were made and all answered; how many and how fast is the benchmark's business.
      assert.ok(result.requests > 0, 'wrk made no request');
      assert.equal(result.failed, 0);
      assert.equal(result.errors, 0);
      assert.ok(result.durationSec > 0, `duration ${result.durationSec}`);
      assert.equal(result.quantilesMs.length, 1000);
      assert.ok(result.quantilesMs.every((q, i) => q > 0 && (i === 0 || q >= result.quantilesMs[i - 1]!)));
    },
  );
  assert.deepEqual(
    [...seen].map((line) => JSON.parse(line) as unknown),
    [[REQUEST.method, REQUEST.path, REQUEST.headers['content-type'], REQUEST.headers.authorization, REQUEST.body]],
  );
});

test('wrk counts answers of 400 and above as failed', { skip }, async () => {
  await withServer(
    (_request, _body, response) => {
      response.statusCode = 400;
      response.end('{"error":"invalid_client"}');
    },
    async (url) => {
      const result = await startWrk(url, REQUEST, 1, 1).done;
      assert.ok(result.requests > 0);
      assert.equal(result.failed, result.requests);
    },
  );
});

test('the script escapes every byte a Lua string could misread', () => {
  const script = wrkScript({ method: 'POST', path: '/', headers: { 'content-length': '5', 'x-a': 'a"b' }, body: 'é\\' });
  assert.match(script, /wrk\.body = "\\195\\169\\092"/);
  assert.match(script, /wrk\.headers\["x\\045a"\] = "a\\034b"/);
  assert.doesNotMatch(script, /content/);
});

test('a report without totals is an error, not zeros', () => {
  assert.throws(() => parseWrkReport('unable to connect to 127.0.0.1:1 Connection refused\n'), /wrk printed no report/);
});
