import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverForTests, signedPost, type TestServer } from '../../support/server.js';

let server: TestServer;
// A Cognate serving another region: IAM is global, so its calls are still signed for us-east-1.
serverForTests((started) => (server = started), { region: 'eu-west-1' });

const FORM = 'application/x-www-form-urlencoded; charset=utf-8';
const IAM_XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';

async function iamForm(body: string, region = 'us-east-1', service = 'iam'): Promise<Response> {
  const call = await signedPost(server.url, { 'content-type': FORM }, body, { ...server.adminKey, service, region });
  return fetch(server.url, { method: 'POST', headers: call.headers, body: call.body });
}

test('an IAM form is found by its Version and answers in the IAM namespace', async () => {
  const response = await iamForm('Action=GetRole&Version=2010-05-08&RoleName=nobody');
  assert.equal(response.status, 404);
  const requestId = response.headers.get('x-amzn-requestid')!;
  assert.equal(
    await response.text(),
    `<ErrorResponse xmlns="${IAM_XMLNS}"><Error><Type>Sender</Type><Code>NoSuchEntity</Code>` +
      `<Message>The role with name nobody cannot be found.</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  );
});

test('an IAM action Cognate does not serve is InvalidAction naming IAM’s version', async () => {
  const response = await iamForm('Action=CreateUser&Version=2010-05-08&UserName=alice');
  assert.equal(response.status, 400);
  const requestId = response.headers.get('x-amzn-requestid')!;
  assert.equal(
    await response.text(),
    `<ErrorResponse xmlns="${IAM_XMLNS}"><Error><Type>Sender</Type><Code>InvalidAction</Code>` +
      `<Message>Could not find operation CreateUser for version 2010-05-08</Message></Error>` +
      `<RequestId>${requestId}</RequestId></ErrorResponse>`,
  );
});

test("IAM calls may be signed for IAM's us-east-1 or for Cognate's own region (as a CLI given --endpoint-url signs), and no other", async () => {
  for (const region of ['us-east-1', 'eu-west-1']) {
    const response = await iamForm('Action=ListRoles&Version=2010-05-08', region);
    assert.equal(response.status, 200, region);
    assert.match(await response.text(), /^<ListRolesResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><ListRolesResult>/);
  }
  const response = await iamForm('Action=ListRoles&Version=2010-05-08', 'ap-south-1');
  assert.equal(response.status, 403);
  assert.match(
    await response.text(),
    /<Code>SignatureDoesNotMatch<\/Code><Message>Credential should be scoped to a valid region, not 'ap-south-1'\. /,
  );
});

test('an IAM call signed for sts is refused naming iam', async () => {
  const response = await iamForm('Action=ListRoles&Version=2010-05-08', 'us-east-1', 'sts');
  assert.equal(response.status, 403);
  assert.match(
    await response.text(),
    /<Code>SignatureDoesNotMatch<\/Code><Message>Credential should be scoped to correct service: 'iam'\. /,
  );
});

test('an unsigned IAM call is MissingAuthenticationToken', async () => {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': FORM },
    body: 'Action=ListRoles&Version=2010-05-08',
  });
  assert.equal(response.status, 403);
  assert.match(await response.text(), /<Code>MissingAuthenticationToken<\/Code>/);
});

test("a signed IAM call from a browser origin not in adminOrigins is refused, in IAM's XML, and not run", async () => {
  const call = await signedPost(
    server.url,
    { 'content-type': FORM },
    'Action=CreateRole&Version=2010-05-08&RoleName=FromAPage&AssumeRolePolicyDocument=%7B%7D',
    { ...server.adminKey, service: 'iam' },
  );
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { ...call.headers, origin: 'https://elsewhere.example' },
    body: call.body,
  });
  assert.equal(response.status, 403);
  const text = await response.text();
  assert.match(text, new RegExp(`^<ErrorResponse xmlns="${IAM_XMLNS}"><Error><Type>Sender</Type><Code>AccessDenied</Code>`));
  assert.equal(await server.services.store.iam.getRole('FromAPage'), undefined);
});
