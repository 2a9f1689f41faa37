import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { serverForTests, captureError, signedPost, signedJsonCall, type TestServer } from '../support/server.js';

let server: TestServer;
serverForTests((started) => (server = started));

const FORM = 'application/x-www-form-urlencoded; charset=utf-8';

async function post(headers: Record<string, string>, body: string): Promise<Response> {
  return fetch(server.url, { method: 'POST', headers, body });
}

/** A form signed by the admin key pair, scoped to `service`. */
async function signedForm(body: string, service = 'sts'): Promise<Response> {
  const call = await signedPost(server.url, { 'content-type': FORM }, body, { ...server.adminKey, service });
  return post(call.headers, call.body);
}

function stsError(code: string, message: string, requestId: string, type = 'Sender'): string {
  return (
    `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>${type}</Type><Code>${code}</Code>` +
    `<Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

test('an unknown AWSCognitoIdentityService target is UnknownOperationException', async () => {
  const response = await post(
    { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityService.NoSuchOperation' },
    '{}',
  );
  assert.equal(response.status, 400);
  assert.equal(response.headers.get('x-amzn-errortype'), 'UnknownOperationException');
  assert.deepEqual(await response.json(), { __type: 'UnknownOperationException', message: '' });
});

test("a Cognito Identity admin call signed for cognito-idp is refused: SigV4 checks the addressed service's signing name", async () => {
  const call = await signedJsonCall(server.url, 'AWSCognitoIdentityService.ListIdentityPools', '{"MaxResults":1}', server.adminKey);
  const response = await post(call.headers, call.body);
  assert.equal(response.status, 400);
  const body = (await response.json()) as { __type: string; message: string };
  assert.equal(body.__type, 'InvalidSignatureException');
  assert.match(body.message, /^Credential should be scoped to correct service: 'cognito-identity'\. /);
});

test('a cognito-idp admin call signed for cognito-identity is refused just as well', async () => {
  const call = await signedJsonCall(server.url, 'AWSCognitoIdentityProviderService.ListUserPools', '{"MaxResults":1}', {
    ...server.adminKey,
    service: 'cognito-identity',
  });
  const body = (await (await post(call.headers, call.body)).json()) as { __type: string; message: string };
  assert.equal(body.__type, 'InvalidSignatureException');
  assert.match(body.message, /^Credential should be scoped to correct service: 'cognito-idp'\. /);
});

test('an STS form with an Action STS does not have is InvalidAction, in XML', async () => {
  const response = await post({ 'content-type': FORM }, 'Action=NoSuchAction&Version=2011-06-15');
  assert.equal(response.status, 400);
  assert.match(response.headers.get('content-type') ?? '', /^text\/xml/);
  const requestId = response.headers.get('x-amzn-requestid')!;
  assert.equal(await response.text(), stsError('InvalidAction', 'Could not find operation NoSuchAction for version 2011-06-15', requestId));
});

test('an STS form without an Action is MissingAction', async () => {
  const response = await post({ 'content-type': FORM }, 'Version=2011-06-15');
  assert.equal(response.status, 400);
  assert.equal(await response.text(), stsError('MissingAction', 'Missing Action', response.headers.get('x-amzn-requestid')!));
});

test('an unsigned call of a signed STS action is MissingAuthenticationToken with 403', async () => {
  const response = await post({ 'content-type': FORM }, 'Action=GetSessionToken&Version=2011-06-15');
  assert.equal(response.status, 403);
  const text = await response.text();
  assert.match(text, /<Code>MissingAuthenticationToken<\/Code>/);
  assert.match(text, /<Type>Sender<\/Type>/);
});

test('an STS call signed for cognito-idp is SignatureDoesNotMatch naming sts', async () => {
  const response = await signedForm('Action=GetSessionToken&Version=2011-06-15', 'cognito-idp');
  assert.equal(response.status, 403);
  const text = await response.text();
  assert.match(text, /<Code>SignatureDoesNotMatch<\/Code><Message>Credential should be scoped to correct service: 'sts'\. /);
});

test('an STS call with an unknown access key is InvalidClientTokenId', async () => {
  const call = await signedPost(server.url, { 'content-type': FORM }, 'Action=GetSessionToken&Version=2011-06-15', {
    accessKeyId: 'AKIAUNKNOWN',
    secretAccessKey: 'unknown',
    service: 'sts',
  });
  const response = await post(call.headers, call.body);
  assert.equal(response.status, 403);
  assert.match(
    await response.text(),
    /<Code>InvalidClientTokenId<\/Code><Message>The security token included in the request is invalid\.<\/Message>/,
  );
});

test("STS input that breaks the model's constraints is ValidationError with AWS's message", async () => {
  const response = await post(
    { 'content-type': FORM },
    'Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=short&DurationSeconds=10',
  );
  assert.equal(response.status, 400);
  const text = await response.text();
  assert.equal(
    text,
    stsError(
      'ValidationError',
      "4 validation errors detected: Value at 'roleSessionName' failed to satisfy constraint: Member must not be null; " +
        "Value at 'webIdentityToken' failed to satisfy constraint: Member must not be null; " +
        "Value 'short' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20; " +
        "Value '10' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
      response.headers.get('x-amzn-requestid')!,
    ),
  );
});

test('an STS action Cognate lacks answers UnsupportedOperation through @aws-sdk/client-sts', async () => {
  const client = new STSClient({ endpoint: server.url, region: 'us-east-1', credentials: server.adminKey, maxAttempts: 1 });
  const error = await captureError(() => client.send(new GetSessionTokenCommand({})));
  client.destroy();
  assert.equal(error.name, 'UnsupportedOperation');
  assert.equal(error.message, 'Cognate does not implement GetSessionToken yet (see docs/compatibility.md).');
  assert.equal(error.$metadata?.httpStatusCode, 400);
});

test('GetCallerIdentity through @aws-sdk/client-sts answers the admin key pair as the account root', async () => {
  const client = new STSClient({ endpoint: server.url, region: 'us-east-1', credentials: server.adminKey, maxAttempts: 1 });
  const { $metadata, ...identity } = await client.send(new GetCallerIdentityCommand({}));
  client.destroy();
  assert.equal($metadata.httpStatusCode, 200);
  assert.deepEqual(identity, { UserId: '000000000000', Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root' });
});

test('GetCallerIdentity answers in XML, its result wrapped as STS wraps it', async () => {
  const response = await signedForm('Action=GetCallerIdentity&Version=2011-06-15');
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/xml/);
  const requestId = response.headers.get('x-amzn-requestid')!;
  assert.equal(
    await response.text(),
    '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
      '<UserId>000000000000</UserId><Account>000000000000</Account><Arn>arn:aws:iam::000000000000:root</Arn>' +
      `</GetCallerIdentityResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
  );
});

test('a signed STS call from a browser page of another origin is refused in XML before it runs', async () => {
  const call = await signedPost(server.url, { 'content-type': FORM }, 'Action=GetCallerIdentity&Version=2011-06-15', {
    ...server.adminKey,
    service: 'sts',
  });
  const response = await post({ ...call.headers, origin: 'http://another.example' }, call.body);
  assert.equal(response.status, 403);
  assert.equal(response.headers.get('access-control-allow-origin'), null);
  assert.equal(
    await response.text(),
    stsError(
      'AccessDenied',
      'Admin operations are not allowed from the origin http://another.example; add it to COGNATE_ADMIN_ORIGINS to allow them.',
      response.headers.get('x-amzn-requestid')!,
    ),
  );
});

test('awsQuery forms are read by the model: lists of structures as Name.member.N.Member, in the validation paths AWS prints', async () => {
  const form = new URLSearchParams({
    Action: 'AssumeRole',
    Version: '2011-06-15',
    RoleArn: 'arn:aws:iam::000000000000:role/app',
    RoleSessionName: 'session',
    'PolicyArns.member.1.arn': 'arn:aws:iam::aws:policy/ReadOnlyAccess',
    'PolicyArns.member.2.arn': 'short',
    'Tags.member.1.Key': 'team',
    'Tags.member.1.Value': 'x'.repeat(257),
  });
  const response = await signedForm(form.toString());
  assert.equal(response.status, 400);
  assert.equal(
    await response.text(),
    stsError(
      'ValidationError',
      "2 validation errors detected: Value 'short' at 'policyArns.2.member.arn' failed to satisfy constraint: Member must have length greater than or equal to 20; " +
        `Value '${'x'.repeat(257)}' at 'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 256`,
      response.headers.get('x-amzn-requestid')!,
    ),
  );
});

test('a form value that is not of its member type is refused before validation (Cognate names the member)', async () => {
  const response = await signedForm(
    'Action=AssumeRole&Version=2011-06-15&RoleArn=arn:aws:iam::000000000000:role/app&RoleSessionName=s&DurationSeconds=soon',
  );
  assert.equal(response.status, 400);
  assert.equal(
    await response.text(),
    stsError(
      'MalformedInput',
      "Value 'soon' at 'DurationSeconds' could not be read as the type the operation expects.",
      response.headers.get('x-amzn-requestid')!,
    ),
  );
});
