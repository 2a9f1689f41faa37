import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { cognitoTrustPolicy } from '../../../src/domain/iam-policy.js';
import { captureError, serverForTests, signedPost, type TestServer } from '../../support/server.js';

let server: TestServer;
let iam: IAMClient;
serverForTests((started) => {
  server = started;
  iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: server.adminKey, maxAttempts: 1 });
});

/** Cognito's standard trust policy for an identity pool's authenticated role, laid out over lines as a console would. */
const TRUST = JSON.stringify(JSON.parse(cognitoTrustPolicy('us-east-1:12345678-corner-cafe-123456790ab', 'authenticated')), null, 2);
const INVOKE = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:us-east-1:*:*/prod/*' }],
});

function account(): string {
  return server.services.config.accountId;
}

test('CreateRole answers the role with its ARN, AROA id and URL-encoded trust policy; GetRole reads it back', async () => {
  const created = await iam.send(
    new CreateRoleCommand({
      RoleName: 'Cognito_AppAuth_Role',
      Path: '/cognito/',
      AssumeRolePolicyDocument: TRUST,
      Description: 'signed-in users',
    }),
  );
  const role = created.Role!;
  assert.equal(role.RoleName, 'Cognito_AppAuth_Role');
  assert.equal(role.Path, '/cognito/');
  assert.equal(role.Arn, `arn:aws:iam::${account()}:role/cognito/Cognito_AppAuth_Role`);
  assert.match(role.RoleId!, /^AROA[A-Z2-7]{17}$/);
  assert.equal(role.AssumeRolePolicyDocument, encodeURIComponent(TRUST), 'IAM answers the document URL-encoded, as sent');
  assert.equal(role.Description, 'signed-in users');
  assert.equal(role.MaxSessionDuration, 3600);
  assert.ok(role.CreateDate instanceof Date && Math.abs(role.CreateDate.getTime() - server.services.clock.now()) < 1000);

  const read = await iam.send(new GetRoleCommand({ RoleName: 'cognito_appauth_role' }));
  assert.deepEqual(read.Role, role, 'names are found regardless of case');
});

test('a second role of the same name in another case is EntityAlreadyExists (409)', async () => {
  await iam.send(new CreateRoleCommand({ RoleName: 'Twice', AssumeRolePolicyDocument: TRUST }));
  const error = await captureError(() => iam.send(new CreateRoleCommand({ RoleName: 'TWICE', AssumeRolePolicyDocument: TRUST })));
  assert.equal(error.name, 'EntityAlreadyExistsException');
  assert.equal(error.message, 'Role with name TWICE already exists.');
  assert.equal(error.$metadata?.httpStatusCode, 409);
});

test('an unknown role is NoSuchEntity (404) for every operation that names one', async () => {
  for (const command of [
    new GetRoleCommand({ RoleName: 'Ghost' }),
    new DeleteRoleCommand({ RoleName: 'Ghost' }),
    new UpdateAssumeRolePolicyCommand({ RoleName: 'Ghost', PolicyDocument: TRUST }),
    new PutRolePolicyCommand({ RoleName: 'Ghost', PolicyName: 'p', PolicyDocument: INVOKE }),
    new ListRolePoliciesCommand({ RoleName: 'Ghost' }),
    new ListAttachedRolePoliciesCommand({ RoleName: 'Ghost' }),
  ]) {
    const error = await captureError(() => iam.send(command as GetRoleCommand));
    assert.equal(error.name, 'NoSuchEntityException', command.constructor.name);
    assert.equal(error.message, 'The role with name Ghost cannot be found.');
    assert.equal(error.$metadata?.httpStatusCode, 404);
  }
});

test('policy documents IAM would not take are MalformedPolicyDocument', async () => {
  const notJson = await captureError(() => iam.send(new CreateRoleCommand({ RoleName: 'Bad', AssumeRolePolicyDocument: '{"Version":' })));
  assert.equal(notJson.name, 'MalformedPolicyDocumentException');
  assert.equal(notJson.message, 'This policy contains invalid Json');
  assert.equal(notJson.$metadata?.httpStatusCode, 400);
  const withResource = await captureError(() => iam.send(new CreateRoleCommand({ RoleName: 'Bad', AssumeRolePolicyDocument: INVOKE })));
  assert.equal(withResource.message, 'Has prohibited field Resource');
  await iam.send(new CreateRoleCommand({ RoleName: 'Strict', AssumeRolePolicyDocument: TRUST }));
  const principal = await captureError(() =>
    iam.send(new PutRolePolicyCommand({ RoleName: 'Strict', PolicyName: 'p', PolicyDocument: TRUST })),
  );
  assert.equal(principal.name, 'MalformedPolicyDocumentException');
  assert.equal(principal.message, 'Policy document should not specify a principal.');
  await assert.rejects(iam.send(new GetRoleCommand({ RoleName: 'Bad' })), { name: 'NoSuchEntityException' });
});

test("input that breaks IAM's model is ValidationError with AWS's message", async () => {
  const error = await captureError(() =>
    iam.send(new CreateRoleCommand({ RoleName: 'has space', AssumeRolePolicyDocument: TRUST, MaxSessionDuration: 60 })),
  );
  assert.equal(error.name, 'ValidationError');
  assert.equal(
    error.message,
    "2 validation errors detected: Value 'has space' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+; " +
      "Value '60' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600",
  );
});

test('UpdateAssumeRolePolicy replaces the trust policy', async () => {
  await iam.send(new CreateRoleCommand({ RoleName: 'Changing', AssumeRolePolicyDocument: TRUST }));
  const guest = TRUST.replace('"authenticated"', '"unauthenticated"');
  await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'Changing', PolicyDocument: guest }));
  const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'Changing' }));
  assert.equal(decodeURIComponent(Role!.AssumeRolePolicyDocument!), guest);
});

test('inline policies: put, read (URL-encoded), list, delete; a missing one is NoSuchEntity', async () => {
  await iam.send(new CreateRoleCommand({ RoleName: 'Inline', AssumeRolePolicyDocument: TRUST }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'Inline', PolicyName: 'invoke', PolicyDocument: INVOKE }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'Inline', PolicyName: 'another', PolicyDocument: INVOKE }));
  const read = await iam.send(new GetRolePolicyCommand({ RoleName: 'Inline', PolicyName: 'invoke' }));
  assert.deepEqual(
    { RoleName: read.RoleName, PolicyName: read.PolicyName, PolicyDocument: read.PolicyDocument },
    { RoleName: 'Inline', PolicyName: 'invoke', PolicyDocument: encodeURIComponent(INVOKE) },
  );
  const listed = await iam.send(new ListRolePoliciesCommand({ RoleName: 'Inline' }));
  assert.deepEqual(listed.PolicyNames, ['another', 'invoke']);
  assert.equal(listed.IsTruncated, false);

  const conflict = await captureError(() => iam.send(new DeleteRoleCommand({ RoleName: 'Inline' })));
  assert.equal(conflict.name, 'DeleteConflictException');
  assert.equal(conflict.message, 'Cannot delete entity, must delete policies first.');
  assert.equal(conflict.$metadata?.httpStatusCode, 409);

  await iam.send(new DeleteRolePolicyCommand({ RoleName: 'Inline', PolicyName: 'invoke' }));
  await iam.send(new DeleteRolePolicyCommand({ RoleName: 'Inline', PolicyName: 'another' }));
  const missing = await captureError(() => iam.send(new GetRolePolicyCommand({ RoleName: 'Inline', PolicyName: 'invoke' })));
  assert.equal(missing.name, 'NoSuchEntityException');
  assert.equal(missing.message, 'The role policy with name invoke cannot be found.');
  const gone = await captureError(() => iam.send(new DeleteRolePolicyCommand({ RoleName: 'Inline', PolicyName: 'invoke' })));
  assert.equal(gone.message, 'The role policy with name invoke cannot be found.');
  await iam.send(new DeleteRoleCommand({ RoleName: 'Inline' }));
  await assert.rejects(iam.send(new GetRoleCommand({ RoleName: 'Inline' })), { name: 'NoSuchEntityException' });
});

test('managed policies: created with v1 as default, attached, listed, holding the role back from deletion until detached', async () => {
  const { Policy } = await iam.send(
    new CreatePolicyCommand({ PolicyName: 'InvokeApi', Path: '/api/', PolicyDocument: INVOKE, Description: 'gateway' }),
  );
  assert.equal(Policy!.Arn, `arn:aws:iam::${account()}:policy/api/InvokeApi`);
  assert.match(Policy!.PolicyId!, /^ANPA[A-Z2-7]{17}$/);
  assert.equal(Policy!.DefaultVersionId, 'v1');
  assert.equal(Policy!.IsAttachable, true);
  assert.equal(Policy!.AttachmentCount, 0);
  assert.equal(Policy!.Description, 'gateway');
  const duplicate = await captureError(() => iam.send(new CreatePolicyCommand({ PolicyName: 'invokeapi', PolicyDocument: INVOKE })));
  assert.equal(duplicate.name, 'EntityAlreadyExistsException');
  assert.equal(duplicate.message, 'A policy called invokeapi already exists. Duplicate names are not allowed.');

  await iam.send(new CreateRoleCommand({ RoleName: 'Attached', AssumeRolePolicyDocument: TRUST }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'Attached', PolicyArn: Policy!.Arn }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'Attached', PolicyArn: Policy!.Arn }));
  const listed = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'Attached' }));
  assert.deepEqual(listed.AttachedPolicies, [{ PolicyName: 'InvokeApi', PolicyArn: Policy!.Arn }]);
  assert.deepEqual(
    (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'Attached', PathPrefix: '/other/' }))).AttachedPolicies,
    [],
  );

  const unknown = `arn:aws:iam::${account()}:policy/Nope`;
  const notThere = await captureError(() => iam.send(new AttachRolePolicyCommand({ RoleName: 'Attached', PolicyArn: unknown })));
  assert.equal(notThere.name, 'NoSuchEntityException');
  assert.equal(notThere.message, `Policy ${unknown} does not exist or is not attachable.`);

  const conflict = await captureError(() => iam.send(new DeleteRoleCommand({ RoleName: 'Attached' })));
  assert.equal(conflict.message, 'Cannot delete entity, must detach all policies first.');
  await iam.send(new DetachRolePolicyCommand({ RoleName: 'Attached', PolicyArn: Policy!.Arn }));
  const detached = await captureError(() => iam.send(new DetachRolePolicyCommand({ RoleName: 'Attached', PolicyArn: Policy!.Arn })));
  assert.equal(detached.name, 'NoSuchEntityException');
  assert.equal(detached.message, `Policy ${Policy!.Arn} was not found.`);
  await iam.send(new DeleteRoleCommand({ RoleName: 'Attached' }));
});

test('ListRoles pages by Marker under a path prefix', async () => {
  for (const name of ['page-c', 'page-a', 'page-b']) {
    await iam.send(new CreateRoleCommand({ RoleName: name, Path: '/paged/', AssumeRolePolicyDocument: TRUST }));
  }
  const first = await iam.send(new ListRolesCommand({ PathPrefix: '/paged/', MaxItems: 2 }));
  assert.deepEqual(
    first.Roles!.map((r) => r.RoleName),
    ['page-a', 'page-b'],
  );
  assert.equal(first.IsTruncated, true);
  assert.equal(first.Roles![0]!.AssumeRolePolicyDocument, encodeURIComponent(TRUST));
  const second = await iam.send(new ListRolesCommand({ PathPrefix: '/paged/', MaxItems: 2, Marker: first.Marker }));
  assert.deepEqual(
    second.Roles!.map((r) => r.RoleName),
    ['page-c'],
  );
  assert.equal(second.IsTruncated, false);
  assert.equal(second.Marker, undefined);
  const bad = await captureError(() => iam.send(new ListRolesCommand({ Marker: 'not a marker' })));
  assert.equal(bad.name, 'ValidationError');
});

test("IAM's XML answer is IAM's, with the policy document URL-encoded", async () => {
  const call = await signedPost(
    server.url,
    { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    'Action=GetRole&Version=2010-05-08&RoleName=Cognito_AppAuth_Role',
    { ...server.adminKey, service: 'iam' },
  );
  const response = await fetch(server.url, { method: 'POST', headers: call.headers, body: call.body });
  assert.equal(response.status, 200);
  const text = await response.text();
  assert.match(
    text,
    new RegExp(
      '^<GetRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetRoleResult><Role><Path>/cognito/</Path>' +
        '<RoleName>Cognito_AppAuth_Role</RoleName><RoleId>AROA[A-Z2-7]{17}</RoleId>' +
        `<Arn>arn:aws:iam::${account()}:role/cognito/Cognito_AppAuth_Role</Arn><CreateDate>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ</CreateDate>` +
        '<AssumeRolePolicyDocument>%7B%0A%20%20%22Version%22%3A%20%222012-10-17%22%2C',
    ),
  );
  assert.match(text, /<\/Role><\/GetRoleResult><ResponseMetadata><RequestId>[^<]+<\/RequestId><\/ResponseMetadata><\/GetRoleResponse>$/);
});
