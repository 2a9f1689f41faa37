import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateUserPoolCommand, DescribeUserPoolCommand, ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, captureError, type TestServer } from '../support/server.js';
import { errorStatuses } from '../../src/generated/cognito-idp/errors.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.stop());

async function raw(target: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, ...headers },
    body,
  });
}

test('CreateUserPool and DescribeUserPool round-trip through the SDK with epoch-second timestamps', async () => {
  const created = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'protocol' }));
  const pool = created.UserPool!;
  assert.match(pool.Id!, /^us-east-1_[0-9a-zA-Z]{9}$/);
  assert.equal(pool.Name, 'protocol');
  assert.ok(pool.CreationDate instanceof Date, 'the SDK parsed an epoch-seconds number into a Date');
  const described = await server.admin.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }));
  assert.equal(described.UserPool!.Id, pool.Id);
  assert.equal(described.UserPool!.Arn, `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${pool.Id}`);
  assert.equal(described.UserPool!.Policies!.PasswordPolicy!.MinimumLength, 8);
});

test('an unknown pool is ResourceNotFoundException with status 400, as real Cognito answers', async () => {
  const error = await captureError(() => server.admin.send(new DescribeUserPoolCommand({ UserPoolId: 'us-east-1_doesnotexist' })));
  assert.equal(error.name, 'ResourceNotFoundException');
  assert.equal(error.message, 'User pool us-east-1_doesnotexist does not exist.');
  assert.equal(error.$metadata?.httpStatusCode, 400);
});

test('a malformed input is InvalidParameterException with the model-derived message', async () => {
  const error = await captureError(() => server.admin.send(new DescribeUserPoolCommand({ UserPoolId: 'not a pool id' })));
  assert.equal(error.name, 'InvalidParameterException');
  assert.equal(
    error.message,
    "1 validation error detected: Value 'not a pool id' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+",
  );
});

test('a missing required member is reported as null', async () => {
  const error = await captureError(() => server.admin.send(new ListUserPoolsCommand({} as never)));
  assert.equal(error.name, 'InvalidParameterException');
  assert.equal(error.message, "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must not be null");
});

test('an admin operation with an unknown access key is refused', async () => {
  const error = await captureError(() => server.anonymous.send(new CreateUserPoolCommand({ PoolName: 'nope' })));
  assert.equal(error.name, 'UnrecognizedClientException');
});

test('an unsigned admin call is MissingAuthenticationTokenException', async () => {
  const response = await raw('AWSCognitoIdentityProviderService.ListUserPools', '{"MaxResults":10}');
  assert.equal(response.status, 400);
  assert.deepEqual(await response.json(), { __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });
});

test('an unknown target is UnknownOperationException', async () => {
  const response = await raw('AWSCognitoIdentityProviderService.NoSuchThing', '{}');
  assert.equal(response.status, 400);
  assert.equal(response.headers.get('x-amzn-errortype'), 'UnknownOperationException');
  assert.ok(response.headers.get('x-amzn-requestid'));
});

test('invalid JSON is SerializationException, never a 500', async () => {
  const response = await raw('AWSCognitoIdentityProviderService.SignUp', '{"ClientId": ');
  assert.equal(response.status, 400);
  assert.equal(((await response.json()) as { __type: string }).__type, 'SerializationException');
});

test('a body over the limit is refused without a stack trace', async () => {
  const response = await raw('AWSCognitoIdentityProviderService.SignUp', JSON.stringify({ ClientId: 'x'.repeat(2_000_000) }));
  assert.equal(response.status, 413);
  const text = await response.text();
  assert.doesNotMatch(text, /at .*\.js/);
  assert.equal((JSON.parse(text) as { __type: string }).__type, 'SerializationException');
});

test('CORS preflight allows the headers browser clients send and exposes the x-amzn headers', async () => {
  const response = await fetch(server.url, {
    method: 'OPTIONS',
    headers: {
      origin: 'http://app.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,x-amz-target,x-amz-user-agent',
    },
  });
  assert.equal(response.status, 204);
  assert.equal(response.headers.get('access-control-allow-origin'), 'http://app.example');
  assert.match(response.headers.get('access-control-allow-headers') ?? '', /x-amz-target/);
  const post = await raw('AWSCognitoIdentityProviderService.NoSuchThing', '{}', { origin: 'http://app.example' });
  assert.match(post.headers.get('access-control-expose-headers') ?? '', /x-amzn-RequestId/);
});

test('every client-fault error answers HTTP 400 and only the server faults 500, as real Cognito sends', () => {
  const serverFaults = Object.entries(errorStatuses)
    .filter(([, status]) => status !== 400)
    .map(([name, status]) => `${name}:${status}`);
  assert.deepEqual(serverFaults.sort(), ['InternalErrorException:500', 'InternalServerException:500']);
});

test('NotAuthorizedException over the wire is HTTP 400 with its type in x-amzn-ErrorType', async () => {
  const response = await raw('AWSCognitoIdentityProviderService.GetUser', JSON.stringify({ AccessToken: 'not.a.token' }));
  assert.equal(response.status, 400);
  assert.match(response.headers.get('x-amzn-errortype') ?? '', /^NotAuthorizedException/);
  assert.equal(((await response.json()) as { __type: string }).__type, 'NotAuthorizedException');
});
