import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ConfigError } from '../../src/config/load.js';

const MIGRATE_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:migrate';

/** The example of the README and of issue #11. */
const EXAMPLE = {
  'pre-sign-up': { module: './triggers/pre-sign-up.mjs' },
  [MIGRATE_ARN]: { module: './legacy/index.js#handler' },
  'token-claims': { url: 'http://127.0.0.1:3000/token-claims' },
  'custom-auth': { lambdaEndpoint: 'http://127.0.0.1:4566' },
};

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'cognate-functions-'));
}

test('COGNATE_FUNCTIONS as inline JSON: module paths resolve against the current folder', () => {
  const config = loadConfig({ COGNATE_FUNCTIONS: JSON.stringify(EXAMPLE) });
  assert.deepEqual(
    [...config.functions],
    [
      ['pre-sign-up', { kind: 'module', file: join(process.cwd(), 'triggers/pre-sign-up.mjs'), exportName: 'handler' }],
      [MIGRATE_ARN, { kind: 'module', file: join(process.cwd(), 'legacy/index.js'), exportName: 'handler' }],
      ['token-claims', { kind: 'url', url: 'http://127.0.0.1:3000/token-claims' }],
      ['custom-auth', { kind: 'lambdaEndpoint', endpoint: 'http://127.0.0.1:4566' }],
    ],
  );
});

test('COGNATE_FUNCTIONS as the path of a JSON file: module paths resolve against that file', () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'conf'));
  writeFileSync(join(dir, 'conf', 'functions.json'), JSON.stringify({ 'pre-sign-up': { module: '../triggers/signup.cjs#check' } }));
  const config = loadConfig({ COGNATE_FUNCTIONS: join(dir, 'conf', 'functions.json') });
  assert.deepEqual(
    [...config.functions],
    [['pre-sign-up', { kind: 'module', file: join(dir, 'triggers', 'signup.cjs'), exportName: 'check' }]],
  );
});

test('functions in the config file: module paths resolve against the config file, absolute paths stay', () => {
  const dir = tempDir();
  const file = join(dir, 'cognate.json');
  writeFileSync(file, JSON.stringify({ functions: { a: { module: 'handlers/a.mjs' }, b: { module: '/srv/b.js#main' } } }));
  const config = loadConfig({ COGNATE_CONFIG: file });
  assert.deepEqual(
    [...config.functions],
    [
      ['a', { kind: 'module', file: join(dir, 'handlers', 'a.mjs'), exportName: 'handler' }],
      ['b', { kind: 'module', file: '/srv/b.js', exportName: 'main' }],
    ],
  );
  assert.equal(config.invocationLogSize, 100);
});

test('no functions by default, and the invocation log size is a setting', () => {
  const config = loadConfig({ COGNATE_INVOCATION_LOG_SIZE: '7' });
  assert.equal(config.functions.size, 0);
  assert.equal(config.invocationLogSize, 7);
});

test('bad COGNATE_FUNCTIONS values stop the start with an error naming the problem', () => {
  const dir = tempDir();
  const cases: [string, string][] = [
    ['{"a": {"module": "x.mjs"', 'COGNATE_FUNCTIONS: not valid JSON ('],
    [join(dir, 'missing.json'), `COGNATE_FUNCTIONS: cannot read ${join(dir, 'missing.json')} (ENOENT`],
    ['{"bad name!": {"url": "http://x"}}', 'COGNATE_FUNCTIONS: "bad name!" is neither a function name nor a Lambda function ARN'],
    ['{"a": {"url": "http://x", "module": "y.js"}}', 'COGNATE_FUNCTIONS "a": expected exactly one of module, url, lambdaEndpoint'],
    ['{"a": "y.js"}', 'COGNATE_FUNCTIONS "a": expected exactly one of module, url, lambdaEndpoint'],
    ['{"a": {"url": "ftp://x"}}', 'COGNATE_FUNCTIONS "a": url must be an http or https URL'],
    ['{"a": {"lambdaEndpoint": 4566}}', 'COGNATE_FUNCTIONS "a": lambdaEndpoint must be a non-empty string'],
    ['{"a": {"module": "x.js#not-a-name"}}', 'COGNATE_FUNCTIONS "a": "not-a-name" is not an export name'],
    ['{"a": {"module": "#handler"}}', 'COGNATE_FUNCTIONS "a": module needs a file path before #'],
  ];
  for (const [value, message] of cases) {
    assert.throws(
      () => loadConfig({ COGNATE_FUNCTIONS: value }),
      (e: unknown) => e instanceof ConfigError && e.message.startsWith(message),
      `${value} should fail with ${message}`,
    );
  }
  const file = join(dir, 'broken.json');
  writeFileSync(file, '[1, 2]');
  assert.throws(() => loadConfig({ COGNATE_FUNCTIONS: file }), {
    message: `COGNATE_FUNCTIONS: expected a JSON object from function names or ARNs to {module}, {url} or {lambdaEndpoint}`,
  });
});
