import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, captureError, testEngine, type TestServer } from '../support/server.js';
import { createLogger } from '../../src/bootstrap.js';
import { logSink } from '../support/log-sink.js';

/**
 * `/metrics` as Prometheus scrapes it and the request log line, after real calls through the SDK:
 * what a dashboard and an alert read.
 */

/** The value of one sample of Prometheus' text format, by its exact name and label set. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels);
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = new Map([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
    if (present.size !== wanted.length || !wanted.every(([k, v]) => present.get(k) === v)) continue;
    return Number(match[3]);
  }
  return undefined;
}

async function scrape(url: string): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(`${url}/metrics`);
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

describe('metrics and the request log', () => {
  let server: TestServer;
  const sink = logSink();
  let clientId: string;
  let poolId: string;
  const PASSWORD = 'Metrics-Passw0rd-1';

  before(async () => {
    // The default log level with request lines raised to it, as an operator turns them on.
    server = await startTestServer({ requestLogLevel: 'info' }, { logger: createLogger('info', sink.stream) });
    const pool = (await server.admin.send(new CreateUserPoolCommand({ PoolName: 'metrics' }))).UserPool!.Id!;
    poolId = pool;
    clientId = (
      await server.admin.send(
        new CreateUserPoolClientCommand({
          UserPoolId: pool,
          ClientName: 'app',
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        }),
      )
    ).UserPoolClient!.ClientId!;
    await server.admin.send(new AdminCreateUserCommand({ UserPoolId: pool, Username: 'ada', MessageAction: 'SUPPRESS' }));
    await server.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: pool, Username: 'ada', Password: PASSWORD, Permanent: true }));
  });
  after(() => server.stop());

  it('counts each operation by status and error type, times it, and counts sign-ins by outcome', async () => {
    const signIn = (password: string) =>
      server.anonymous.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'ada', PASSWORD: password },
        }),
      );
    const before = (await scrape(server.url)).text;
    const passed = (labels: Record<string, string>) => sample(before, 'cognate_requests_total', labels) ?? 0;
    const okBefore = passed({ operation: 'InitiateAuth', status: '200', error: '' });
    const failBefore = passed({ operation: 'InitiateAuth', status: '400', error: 'NotAuthorizedException' });

    await signIn(PASSWORD);
    await signIn(PASSWORD);
    const refused = await captureError(() => signIn('Wrong-Passw0rd-1'));
    assert.equal(refused.name, 'NotAuthorizedException');

    const after = await scrape(server.url);
    assert.equal(after.status, 200);
    assert.match(after.type ?? '', /^text\/plain; version=0\.0\.4/);
    const text = after.text;
    assert.equal(sample(text, 'cognate_requests_total', { operation: 'InitiateAuth', status: '200', error: '' }), okBefore + 2);
    assert.equal(
      sample(text, 'cognate_requests_total', { operation: 'InitiateAuth', status: '400', error: 'NotAuthorizedException' }),
      failBefore + 1,
    );
    // Every answered InitiateAuth is in the latency histogram, and the slowest bucket holds them all.
    const count = sample(text, 'cognate_request_duration_seconds_count', { operation: 'InitiateAuth' });
    assert.equal(count, okBefore + failBefore + 3);
    assert.equal(sample(text, 'cognate_request_duration_seconds_bucket', { operation: 'InitiateAuth', le: '+Inf' }), count);
    assert.ok((sample(text, 'cognate_request_duration_seconds_sum', { operation: 'InitiateAuth' }) ?? 0) > 0);
    assert.equal(sample(text, 'cognate_sign_ins_total', { outcome: 'Pass', flow: 'USER_PASSWORD_AUTH' }), 2);
    assert.equal(sample(text, 'cognate_sign_ins_total', { outcome: 'Fail', flow: 'USER_PASSWORD_AUTH' }), 1);
    // The hashing queue and the process's own metrics are there for the dashboard.
    assert.equal(sample(text, 'cognate_password_hashes', { state: 'waiting' }), 0);
    assert.equal(sample(text, 'cognate_password_hashes', { state: 'running' }), 0);
    assert.notEqual(sample(text, 'process_cpu_seconds_total'), undefined);
    // The PostgreSQL pool's use, only where there is a pool.
    const connections = sample(text, 'cognate_database_connections', { state: 'total' });
    if (testEngine() === 'postgres') assert.ok(connections !== undefined && connections >= 1, `pool connections: ${connections}`);
    else assert.equal(connections, undefined);
  });

  it('names other requests by method and route pattern, never by the raw path or query', async () => {
    const secret = 'code-that-must-not-be-a-label';
    // Bodies are read so the connections go back to fetch's pool.
    await (
      await fetch(`${server.url}/${poolId}/oauth2/authorize?response_type=code&client_id=${clientId}&code=${secret}`, {
        redirect: 'manual',
      })
    ).text();
    await (await fetch(`${server.url}/health/live`)).text();
    const { text } = await scrape(server.url);
    assert.equal(text.includes(secret), false);
    assert.ok((sample(text, 'cognate_requests_total', { operation: 'GET /health/live', status: '200', error: '' }) ?? 0) >= 1);
    // A hosted endpoint by its own path, whichever pool it was reached through.
    assert.ok(/cognate_requests_total\{operation="GET \/oauth2\/authorize"/.test(text), 'the authorize endpoint is counted by its path');
    // An unknown path falls to the hosted endpoints' catch-all route, and is counted by its pattern.
    assert.equal(await (await fetch(`${server.url}/no/such/${secret}`)).text(), 'Not found');
    const unmatched = (await scrape(server.url)).text;
    assert.equal(unmatched.includes(secret), false);
    assert.ok((sample(unmatched, 'cognate_requests_total', { operation: 'GET /:poolId/*', status: '404', error: '' }) ?? 0) >= 1);
  });

  it('serves every metric the Grafana dashboard in docs/ queries', async () => {
    const dashboard = JSON.parse(readFileSync(new URL('../../docs/grafana-dashboard.json', import.meta.url), 'utf8')) as {
      panels: { targets: { expr: string }[] }[];
    };
    const queried = new Set(
      dashboard.panels.flatMap((p) =>
        p.targets.flatMap((t) => [...t.expr.matchAll(/\b((?:cognate|process|nodejs)_\w+)/g)].map((m) => m[1]!)),
      ),
    );
    assert.ok(queried.size >= 10, `the dashboard queries ${queried.size} metrics`);
    const { text } = await scrape(server.url);
    const served = new Set([...text.matchAll(/^(\w+)[{ ]/gm)].map((m) => m[1]!));
    // The connection pool exists on PostgreSQL only.
    const missing = [...queried].filter(
      (name) => !served.has(name) && !(name === 'cognate_database_connections' && testEngine() === 'sqlite'),
    );
    assert.deepEqual(missing, []);
  });

  it('writes one request line per request with the operation, status, duration and request id, and no secret', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
      body: JSON.stringify({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'ada', PASSWORD: 'Logged-Never-Passw0rd' },
      }),
    });
    assert.equal(response.status, 400);
    const requestId = response.headers.get('x-amzn-requestid');
    const line = sink.lines.find((l) => l['msg'] === 'request' && l['requestId'] === requestId);
    assert.ok(line, `no request line for ${requestId}`);
    assert.equal(line['operation'], 'InitiateAuth');
    assert.equal(line['status'], 400);
    assert.equal(line['error'], 'NotAuthorizedException');
    assert.equal(line['method'], 'POST');
    assert.equal(typeof line['durationMs'], 'number');
    assert.equal(sink.text().includes('Logged-Never-Passw0rd'), false);
  });
});

describe('settings', () => {
  it('answers 404 at /metrics when metrics are off, and writes no request line below the log level', async () => {
    const sink = logSink();
    // The defaults: request lines at debug, under an info log.
    const server = await startTestServer({ metrics: false }, { logger: createLogger('info', sink.stream) });
    try {
      assert.equal((await scrape(server.url)).status, 404);
      await (await fetch(`${server.url}/health/live`)).text();
      assert.equal(sink.lines.filter((l) => l['msg'] === 'request').length, 0);
    } finally {
      await server.stop();
    }
  });
});
