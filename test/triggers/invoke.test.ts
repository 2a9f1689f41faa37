import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, utimesSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FunctionTarget } from '../../src/config/schema.js';
import { createFunctionInvoker } from '../../src/triggers/invoke.js';
import type { TriggerInvocation } from '../../src/store/ports.js';
import { cognitoErrorFor } from '../../src/triggers/outcome.js';

const dir = mkdtempSync(join(tmpdir(), 'cognate-triggers-'));
const arn = (name: string): string => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const EVENT = { version: '1', triggerSource: 'PreSignUp_SignUp', userName: 'alice', request: { userAttributes: {} }, response: {} };

/** Handlers as AWS's developer guide writes them. */
const HANDLERS: Record<string, string> = {
  'async.mjs': `export const handler = async (event, context) => {
  console.log('signing up', event.userName);
  event.response.autoConfirmUser = true;
  return event;
};`,
  'callback.js': `exports.handler = (event, context, callback) => {
  event.response.autoVerifyEmail = true;
  callback(null, event);
};`,
  'named.cjs': `module.exports.check = async (event) => ({ ...event, response: { named: true } });`,
  'context.mjs': `export const handler = async (event, context) => ({ ...event, response: {
  functionName: context.functionName, functionVersion: context.functionVersion, arn: context.invokedFunctionArn,
  memory: context.memoryLimitInMB, group: context.logGroupName, waits: context.callbackWaitsForEmptyEventLoop,
  requestId: /^[0-9a-f-]{36}$/.test(context.awsRequestId), stream: /^\\d{4}\\/\\d{2}\\/\\d{2}\\/\\[\\$LATEST\\][0-9a-f]{32}$/.test(context.logStreamName),
  remaining: context.getRemainingTimeInMillis() > 0 && context.getRemainingTimeInMillis() <= 5000 } });`,
  'throws.mjs': `export const handler = async () => { throw new Error('Registration from this domain is not allowed.'); };`,
  'callback-error.js': `exports.handler = (event, context, callback) => callback(new Error('no such user'));`,
  'hangs.mjs': `export const handler = async () => { while (true) {} };`,
  'waits.mjs': `export const handler = () => new Promise(() => {});`,
  'exits.mjs': `export const handler = async () => { process.exit(3); };`,
  'crashes.mjs': `export const handler = (event, context, callback) => { setTimeout(() => { throw new Error('boom'); }, 0); };`,
  'string.mjs': `export const handler = async () => 'done';`,
  'circular.mjs': `export const handler = async (event) => { event.self = event; return event; };`,
  'globals.mjs': `export const handler = async (event) => ({ ...event, response: {
  require: typeof require, module: typeof module, exports: typeof exports, filename: typeof __filename, dirname: typeof __dirname } });`,
  'reload.mjs': `export const handler = async (event) => ({ ...event, response: { generation: 1 } });`,
  'reload.cjs': `exports.handler = async (event) => ({ ...event, response: { generation: 1 } });`,
};
const functions = new Map<string, FunctionTarget>();
for (const [file, source] of Object.entries(HANDLERS)) {
  writeFileSync(join(dir, file), source);
  const name = file.replace('.', '-');
  functions.set(name, { kind: 'module', file: join(dir, file), exportName: file === 'named.cjs' ? 'check' : 'handler' });
}
const invoker = createFunctionInvoker({ functions });
after(() => invoker.close());

test('module handlers written as AWS writes them: async ESM, callback CommonJS, a named export', async () => {
  assert.deepEqual(await invoker.invoke(arn('async-mjs'), EVENT), {
    kind: 'ok',
    result: { ...EVENT, response: { autoConfirmUser: true } },
  });
  assert.deepEqual(await invoker.invoke(arn('callback-js'), EVENT), {
    kind: 'ok',
    result: { ...EVENT, response: { autoVerifyEmail: true } },
  });
  assert.deepEqual(await invoker.invoke(arn('named-cjs'), EVENT), { kind: 'ok', result: { ...EVENT, response: { named: true } } });
});

test('an ES module handler sees no CommonJS globals, as on Lambda', async () => {
  const none = { require: 'undefined', module: 'undefined', exports: 'undefined', filename: 'undefined', dirname: 'undefined' };
  assert.deepEqual(await invoker.invoke(arn('globals-mjs'), EVENT), { kind: 'ok', result: { ...EVENT, response: none } });
});

test('the handler gets a Lambda-like context', async () => {
  const qualified = `${arn('context-mjs')}:live`;
  assert.deepEqual(await invoker.invoke(qualified, EVENT), {
    kind: 'ok',
    result: {
      ...EVENT,
      response: {
        functionName: 'context-mjs',
        functionVersion: '$LATEST',
        arn: qualified,
        memory: '128',
        group: '/aws/lambda/context-mjs',
        waits: true,
        requestId: true,
        stream: true,
        remaining: true,
      },
    },
  });
});

test('a handler that throws or calls back with an error is a handler error, with its message', async () => {
  const thrown = await invoker.invoke(arn('throws-mjs'), EVENT);
  assert.deepEqual(thrown, { kind: 'handler-error', message: 'Registration from this domain is not allowed.' });
  assert.deepEqual(await invoker.invoke(arn('callback-error-js'), EVENT), { kind: 'handler-error', message: 'no such user' });
  const error = cognitoErrorFor(thrown, 'PreSignUp');
  assert.equal(error?.type, 'UserLambdaValidationException');
  assert.equal(error?.message, 'PreSignUp failed with error Registration from this domain is not allowed..');
});

test('a hung handler times out without stalling the event loop, and the next invocation works', async () => {
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 10);
  const outcome = await invoker.invoke(arn('hangs-mjs'), EVENT, { timeoutMs: 300 });
  clearInterval(ticker);
  assert.deepEqual(outcome, { kind: 'timeout' });
  assert.ok(ticks >= 5, `the event loop ticked only ${ticks} times during the hang`);
  assert.equal(cognitoErrorFor(outcome, 'PreSignUp')?.type, 'UnexpectedLambdaException');
  assert.deepEqual(await invoker.invoke(arn('named-cjs'), EVENT), { kind: 'ok', result: { ...EVENT, response: { named: true } } });
});

test('a hung function holds only its own threads: another function answers while every call of the hung one waits', async () => {
  // More calls of the hung function than a function has threads, so a shared pool would be full.
  const hung = Array.from({ length: 4 }, () => invoker.invoke(arn('waits-mjs'), EVENT, { timeoutMs: 60_000 }));
  let hungSettled = false;
  void Promise.allSettled(hung).then(() => (hungSettled = true));
  const other = await invoker.invoke(arn('named-cjs'), EVENT, { timeoutMs: 60_000 });
  assert.deepEqual(other, { kind: 'ok', result: { ...EVENT, response: { named: true } } });
  assert.equal(hungSettled, false, 'the other function answered only after the hung calls gave up');
  // Closing stops the hung calls instead of leaving them for a minute.
  await invoker.close();
  assert.deepEqual(
    (await Promise.all(hung)).map((o) => o.kind),
    ['failed', 'failed', 'failed', 'failed'],
  );
});

test('a handler that exits or crashes fails, and the pool recovers', async () => {
  assert.deepEqual(await invoker.invoke(arn('exits-mjs'), EVENT), { kind: 'failed', reason: 'the function exited with code 3' });
  assert.deepEqual(await invoker.invoke(arn('crashes-mjs'), EVENT), { kind: 'failed', reason: 'the function crashed: boom' });
  assert.deepEqual(await invoker.invoke(arn('named-cjs'), EVENT), { kind: 'ok', result: { ...EVENT, response: { named: true } } });
});

test('a result that is not a JSON object is invalid: Unrecognizable lambda output', async () => {
  const outcome = await invoker.invoke(arn('string-mjs'), EVENT);
  assert.deepEqual(outcome, { kind: 'invalid', reason: 'the result is not a JSON object' });
  const error = cognitoErrorFor(outcome, 'PreSignUp');
  assert.deepEqual([error?.type, error?.message], ['InvalidLambdaResponseException', 'Unrecognizable lambda output']);
  assert.deepEqual(await invoker.invoke(arn('circular-mjs'), EVENT), {
    kind: 'invalid',
    reason: 'the result cannot be serialised: ' + circularMessage(),
  });
});

function circularMessage(): string {
  const value: Record<string, unknown> = {};
  value['self'] = value;
  try {
    JSON.stringify(value);
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

test('an edited handler file is picked up on its next invocation, ESM and CommonJS', async () => {
  for (const file of ['reload.mjs', 'reload.cjs']) {
    const name = arn(file.replace('.', '-'));
    assert.deepEqual(await invoker.invoke(name, EVENT), { kind: 'ok', result: { ...EVENT, response: { generation: 1 } } });
    writeFileSync(join(dir, file), HANDLERS[file]!.replace('generation: 1', 'generation: 22'));
    // A later mtime, whatever the file system's timestamp granularity.
    utimesSync(join(dir, file), new Date(), new Date(Date.now() + 2000));
    assert.deepEqual(await invoker.invoke(name, EVENT), { kind: 'ok', result: { ...EVENT, response: { generation: 22 } } });
  }
});

test('an ARN with no entry cannot be invoked; an ARN finds its entry by function name', async () => {
  const outcome = await invoker.invoke(arn('unknown'), EVENT);
  assert.deepEqual(outcome, { kind: 'failed', reason: `no entry in functions for ${arn('unknown')}` });
  assert.equal(cognitoErrorFor(outcome, 'PreSignUp')?.type, 'UnexpectedLambdaException');
});

test('each invocation is reported with its pool, source, mode, time, outcome and captured logs, never the event', async () => {
  const reported: Array<[string, TriggerInvocation]> = [];
  const recording = createFunctionInvoker({
    functions,
    log: { add: (poolId, invocation) => reported.push([poolId, invocation]) },
    now: () => 1234,
  });
  try {
    await recording.invoke(arn('async-mjs'), EVENT, { poolId: 'us-east-1_pool1', triggerSource: 'PreSignUp_SignUp' });
    await recording.invoke(arn('throws-mjs'), EVENT, { poolId: 'us-east-1_pool1', triggerSource: 'PreSignUp_AdminCreateUser' });
    await recording.invoke(arn('unknown'), EVENT, { poolId: 'us-east-1_pool2' });
    await recording.invoke(arn('async-mjs'), EVENT);
  } finally {
    await recording.close();
  }
  const records = reported.map(([poolId, { durationMs, ...rest }]) => {
    assert.ok(Number.isInteger(durationMs) && durationMs >= 0);
    return [poolId, rest];
  });
  assert.deepEqual(records, [
    [
      'us-east-1_pool1',
      {
        at: 1234,
        functionArn: arn('async-mjs'),
        triggerSource: 'PreSignUp_SignUp',
        mode: 'module',
        outcome: 'ok',
        detail: null,
        logs: 'signing up alice\n',
      },
    ],
    [
      'us-east-1_pool1',
      {
        at: 1234,
        functionArn: arn('throws-mjs'),
        triggerSource: 'PreSignUp_AdminCreateUser',
        mode: 'module',
        outcome: 'handler-error',
        detail: 'Registration from this domain is not allowed.',
        logs: null,
      },
    ],
    [
      'us-east-1_pool2',
      {
        at: 1234,
        functionArn: arn('unknown'),
        triggerSource: null,
        mode: 'none',
        outcome: 'failed',
        detail: `no entry in functions for ${arn('unknown')}`,
        logs: null,
      },
    ],
  ]);
});

test('url mode: the event is POSTed as JSON; 2xx objects, function errors, 5xx, garbage, slowness and no server', async () => {
  const received: unknown[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push([req.method, req.url, req.headers['content-type'], JSON.parse(body)]);
      if (req.url === '/ok') res.end(JSON.stringify({ ...JSON.parse(body), response: { autoConfirmUser: true } }));
      else if (req.url === '/reject') {
        res.writeHead(400, { 'x-amz-function-error': 'Handled' });
        res.end(JSON.stringify({ errorMessage: 'Not on the list', errorType: 'Error' }));
      } else if (req.url === '/broken') res.writeHead(500).end('oops');
      else if (req.url === '/garbage') res.end('[1]');
      // /slow never answers
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/gone`;
  await new Promise((resolve) => closed.close(resolve));
  const urls = new Map<string, FunctionTarget>(
    ['ok', 'reject', 'broken', 'garbage', 'slow'].map((path) => [path, { kind: 'url', url: `${base}/${path}` }]),
  );
  urls.set('gone', { kind: 'url', url: closedUrl });
  const web = createFunctionInvoker({ functions: urls });
  try {
    assert.deepEqual(await web.invoke(arn('ok'), EVENT), { kind: 'ok', result: { ...EVENT, response: { autoConfirmUser: true } } });
    assert.deepEqual(received, [['POST', '/ok', 'application/json', EVENT]]);
    assert.deepEqual(await web.invoke(arn('reject'), EVENT), { kind: 'handler-error', message: 'Not on the list' });
    assert.deepEqual(await web.invoke(arn('broken'), EVENT), { kind: 'failed', reason: `HTTP 500 from ${base}/broken` });
    assert.deepEqual(await web.invoke(arn('garbage'), EVENT), {
      kind: 'invalid',
      reason: `the answer of ${base}/garbage is not a JSON object`,
    });
    assert.deepEqual(await web.invoke(arn('slow'), EVENT, { timeoutMs: 200 }), { kind: 'timeout' });
    const gone = await web.invoke(arn('gone'), EVENT);
    assert.equal(gone.kind, 'failed');
    assert.match((gone as { reason: string }).reason, new RegExp(`^${closedUrl} unreachable: .*ECONNREFUSED`));
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await web.close();
  }
});

test('an idle module pool does not keep the process alive', async () => {
  const script = `
    import { createFunctionInvoker } from ${JSON.stringify(new URL('../../src/triggers/invoke.ts', import.meta.url).href)};
    const invoker = createFunctionInvoker({ functions: new Map([['f', { kind: 'module', file: ${JSON.stringify(join(dir, 'named.cjs'))}, exportName: 'check' }]]) });
    const outcome = await invoker.invoke('f', {});
    console.log(outcome.kind);
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    const deadline = setTimeout(() => {
      child.kill();
      reject(new Error('the process was kept alive by the idle pool'));
    }, 30_000);
    child.on('exit', (exitCode) => {
      clearTimeout(deadline);
      resolve(exitCode);
    });
  });
  assert.deepEqual([code, output], [0, 'ok\n']);
});
