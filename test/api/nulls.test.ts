import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signedHeaders, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.stop());

/** Sends an admin call with a hand-written body, signed with the admin key. */
async function signedCall(target: string, body: string): Promise<Response> {
  return fetch(server.url, { method: 'POST', headers: await signedHeaders(server.url, target, body), body });
}

test('JSON nulls count as absent members, as in AWS, for every operation', async () => {
  const created = await signedCall(
    'CreateUserPool',
    JSON.stringify({ PoolName: 'nulls', Policies: null, UserPoolTags: { a: 'b' }, AliasAttributes: null }),
  );
  assert.equal(created.status, 200);
  const poolId = ((await created.json()) as { UserPool: { Id: string } }).UserPool.Id;
  for (const [target, body] of [
    ['ListUserPools', { MaxResults: 10, NextToken: null }],
    ['ListGroups', { UserPoolId: poolId, NextToken: null, Limit: null }],
    ['ListUsers', { UserPoolId: poolId, PaginationToken: null, Filter: null, AttributesToGet: null }],
    ['ListUserPoolClients', { UserPoolId: poolId, NextToken: null }],
  ] as const) {
    const response = await signedCall(target, JSON.stringify(body));
    assert.equal(response.status, 200, `${target}: ${await response.clone().text()}`);
  }
  const missing = await signedCall('DescribeUserPool', JSON.stringify({ UserPoolId: null }));
  assert.equal(missing.status, 400);
  assert.equal(
    ((await missing.json()) as { message: string }).message,
    "1 validation error detected: Value at 'userPoolId' failed to satisfy constraint: Member must not be null",
  );
});
