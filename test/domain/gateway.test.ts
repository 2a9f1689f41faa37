import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executeApiArn, matchRoute, parseGatewayApis, GatewayDefinitionError } from '../../src/domain/gateway.js';
import { ConfigError, loadConfig } from '../../src/config/load.js';

const none = { type: 'NONE' };
const api = (routes: unknown[]): unknown => ({ id: 'shop', upstream: 'http://127.0.0.1:3000/v1/', stages: ['prod'], routes });

function only(routes: unknown[]) {
  return parseGatewayApis([api(routes)])[0]!;
}

test('a definition is read whole: the upstream loses its trailing slash, scopes default to none', () => {
  const parsed = only([{ method: 'GET', path: '/items/{id}', authorizer: { type: 'COGNITO_USER_POOLS', userPoolIds: ['us-east-1_abc'] } }]);
  assert.equal(parsed.upstream, 'http://127.0.0.1:3000/v1');
  assert.deepEqual(parsed.routes[0]!.authorizer, { type: 'COGNITO_USER_POOLS', userPoolIds: ['us-east-1_abc'], scopes: [] });
});

test('bad definitions are refused with where the problem is', () => {
  const cases: [unknown, RegExp][] = [
    [{ ...(api([]) as object) }, /^\[0\]\.routes: expected a non-empty list$/],
    [api([{ method: 'FETCH', path: '/', authorizer: none }]), /^\[0\]\.routes\[0\]\.method: expected one of ANY, GET/],
    [api([{ method: 'GET', path: '/{proxy+}/x', authorizer: none }]), /routes\[0\]\.path: \{proxy\+\} must be the last segment/],
    [api([{ method: 'GET', path: '/{a}/{a}', authorizer: none }]), /the parameter \{a\} appears twice/],
    [api([{ method: 'GET', path: 'items', authorizer: none }]), /expected a path starting with \//],
    [api([{ method: 'GET', path: '/', authorizer: { type: 'JWT' } }]), /authorizer\.type: expected COGNITO_USER_POOLS, AWS_IAM or NONE/],
    [
      api([{ method: 'GET', path: '/', authorizer: { type: 'AWS_IAM', scopes: ['a'] } }]),
      /userPoolIds and scopes belong to COGNITO_USER_POOLS/,
    ],
    [
      api([{ method: 'GET', path: '/', authorizer: { type: 'COGNITO_USER_POOLS', userPoolIds: ['nope'] } }]),
      /userPoolIds\[0\]: expected a user pool ID/,
    ],
    [api([{ method: 'GET', path: '/', authorizer: none, extra: 1 }]), /routes\[0\]: unknown member "extra"/],
    [
      api([
        { method: 'GET', path: '/a/{x}', authorizer: none },
        { method: 'GET', path: '/a/{y}', authorizer: none },
      ]),
      /routes\[1\]: GET \/a\/\{y\} repeats an earlier route/,
    ],
    [
      { id: 'Shop!', upstream: 'http://x', stages: ['p'], routes: [{ method: 'GET', path: '/', authorizer: none }] },
      /\[0\]\.id: expected lower-case/,
    ],
    [
      { id: 'shop', upstream: 'ftp://x', stages: ['p'], routes: [{ method: 'GET', path: '/', authorizer: none }] },
      /upstream: expected an http/,
    ],
    [
      { id: 'shop', upstream: 'http://x', stages: [], routes: [{ method: 'GET', path: '/', authorizer: none }] },
      /stages: expected a non-empty list/,
    ],
  ];
  for (const [definition, message] of cases) {
    assert.throws(
      () => parseGatewayApis([definition]),
      (error: Error) => error instanceof GatewayDefinitionError && message.test(error.message),
    );
  }
  const route = { method: 'GET', path: '/', authorizer: none };
  assert.throws(() => parseGatewayApis([api([route]), api([route])]), /\[1\]\.id: the API id shop is used twice/);
});

test('the most specific resource wins: literal, then {param}, then {proxy+}; a method of its own before ANY', () => {
  const parsed = only([
    { method: 'ANY', path: '/{proxy+}', authorizer: none },
    { method: 'GET', path: '/items/{id}', authorizer: none },
    { method: 'GET', path: '/items/special', authorizer: none },
    { method: 'ANY', path: '/items/{id}', authorizer: none },
    { method: 'GET', path: '/', authorizer: none },
  ]);
  const take = (method: string, path: string) => {
    const found = matchRoute(parsed, method, path);
    return found && `${found.route.method} ${found.route.path} ${JSON.stringify(found.params)}`;
  };
  assert.equal(take('GET', '/items/special'), 'GET /items/special {}');
  assert.equal(take('GET', '/items/7'), 'GET /items/{id} {"id":"7"}');
  assert.equal(take('DELETE', '/items/7'), 'ANY /items/{id} {"id":"7"}');
  assert.equal(take('HEAD', '/items/7'), 'GET /items/{id} {"id":"7"}');
  assert.equal(take('POST', '/items/7/parts/2'), 'ANY /{proxy+} {"proxy":"items/7/parts/2"}');
  assert.equal(take('GET', '/'), 'GET / {}');
  assert.equal(take('POST', '/'), undefined, '{proxy+} needs at least one segment');
  assert.equal(take('GET', '/items//x'), undefined, 'an empty segment matches no pattern');
  const narrow = only([{ method: 'GET', path: '/items/{id}', authorizer: none }]);
  assert.equal(matchRoute(narrow, 'GET', '/items'), undefined);
  assert.equal(matchRoute(narrow, 'GET', '/items/7/more'), undefined);
  assert.equal(matchRoute(narrow, 'GET', '/items/'), undefined);
  assert.equal(matchRoute(narrow, 'POST', '/items/7'), undefined);
});

test('the execute-api ARN names API, stage, method and the path without its leading slash', () => {
  assert.equal(
    executeApiArn('eu-west-1', '123456789012', 'shop', 'prod', 'GET', '/items/7'),
    'arn:aws:execute-api:eu-west-1:123456789012:shop/prod/GET/items/7',
  );
  assert.equal(
    executeApiArn('us-east-1', '000000000000', 'shop', 'prod', 'POST', '/'),
    'arn:aws:execute-api:us-east-1:000000000000:shop/prod/POST/',
  );
});

test('gatewayApis comes from the config file or JSON in COGNATE_GATEWAY_APIS, and a bad one fails the start', () => {
  const route = { method: 'GET', path: '/', authorizer: none };
  const dir = mkdtempSync(join(tmpdir(), 'cognate-gateway-'));
  const file = join(dir, 'cognate.json');
  writeFileSync(file, JSON.stringify({ gatewayApis: [api([route])], gatewayTimeout: 500 }));
  const config = loadConfig({ COGNATE_CONFIG: file });
  assert.equal(config.gatewayApis[0]!.id, 'shop');
  assert.equal(config.gatewayTimeout, 500);
  assert.equal(config.gatewayDomain, 'localhost');
  assert.equal(loadConfig({ COGNATE_GATEWAY_APIS: JSON.stringify([api([route])]) }).gatewayApis.length, 1);
  writeFileSync(file, JSON.stringify({ gatewayApis: [api([{ ...route, path: '/{p+}/x' }])] }));
  assert.throws(
    () => loadConfig({ COGNATE_CONFIG: file }),
    (error: Error) =>
      error instanceof ConfigError && error.message === `${file}: gatewayApis[0].routes[0].path: {p+} must be the last segment`,
  );
  assert.throws(
    () => loadConfig({ COGNATE_GATEWAY_APIS: '{' }),
    (error: Error) => error instanceof ConfigError && /^COGNATE_GATEWAY_APIS: /.test(error.message),
  );
  assert.throws(() => loadConfig({ COGNATE_GATEWAY_APIS: '{}' }), /COGNATE_GATEWAY_APIS: expected a list of APIs/);
});
