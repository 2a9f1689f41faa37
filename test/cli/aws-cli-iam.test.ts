/**
 * Drives the real AWS CLI (`aws iam ... --endpoint-url`) against a listening Cognate: the IAM subset
 * for roles and their policies, as the README tells users to call it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { cognitoTrustPolicy } from '../../src/domain/iam-policy.js';
import { awsCli, awsCliVersion, cliJson, type ProcessRun } from '../support/aws-cli.js';

const version = awsCliVersion();
// In CI a missing CLI is a failure (.ci/run installs it); on a developer's machine it is a skip.
const skip = version === undefined && !process.env['CI'] ? 'the AWS CLI (`aws`) is not installed' : false;

let server: TestServer;
before(async () => {
  // Another region than IAM's: the CLI must still sign its IAM calls for us-east-1.
  server = await startTestServer({ region: 'eu-west-1' });
});
after(() => server.stop());

/** One `aws iam <args> --endpoint-url <server>` call in `region`, with the admin key pair and nothing else of AWS's. */
async function iamIn(region: string, ...args: string[]): Promise<ProcessRun> {
  return awsCli(server.url, await server.admin.config.credentials(), region, 'iam', ...args);
}

/** IAM as the CLI calls it with AWS's own endpoint's region. */
function iam(...args: string[]): Promise<ProcessRun> {
  return iamIn('us-east-1', ...args);
}

const parsed = cliJson;

const TRUST = JSON.parse(cognitoTrustPolicy('us-east-1:12345678-dead-beef-cafe-123456790ab', 'authenticated')) as unknown;
const INVOKE = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] };

test('the AWS CLI creates a role, gives it policies, reads them back decoded, and meets IAM’s errors', { skip }, async (t) => {
  assert.ok(version, 'the AWS CLI (`aws`) is not on PATH: pip install awscli, or apt-get install awscli');
  t.diagnostic(version);
  const account = server.services.config.accountId;

  const created = parsed(
    await iam('create-role', '--role-name', 'Cognito_CliAuth', '--assume-role-policy-document', JSON.stringify(TRUST)),
  );
  const role = created['Role'] as Record<string, unknown>;
  assert.equal(role['Arn'], `arn:aws:iam::${account}:role/Cognito_CliAuth`);
  assert.match(String(role['RoleId']), /^AROA/);
  // The CLI URL-decodes and parses the document IAM answers encoded.
  assert.deepEqual(role['AssumeRolePolicyDocument'], TRUST);

  const read = parsed(await iam('get-role', '--role-name', 'Cognito_CliAuth'));
  assert.deepEqual((read['Role'] as Record<string, unknown>)['AssumeRolePolicyDocument'], TRUST);

  assert.equal(
    (await iam('put-role-policy', '--role-name', 'Cognito_CliAuth', '--policy-name', 'invoke', '--policy-document', JSON.stringify(INVOKE)))
      .code,
    0,
  );
  const inline = parsed(await iam('get-role-policy', '--role-name', 'Cognito_CliAuth', '--policy-name', 'invoke'));
  assert.deepEqual(inline['PolicyDocument'], INVOKE);

  const policy = parsed(await iam('create-policy', '--policy-name', 'CliInvoke', '--policy-document', JSON.stringify(INVOKE)));
  const arn = (policy['Policy'] as Record<string, unknown>)['Arn'] as string;
  assert.equal(arn, `arn:aws:iam::${account}:policy/CliInvoke`);
  assert.equal((await iam('attach-role-policy', '--role-name', 'Cognito_CliAuth', '--policy-arn', arn)).code, 0);
  assert.deepEqual(parsed(await iam('list-attached-role-policies', '--role-name', 'Cognito_CliAuth'))['AttachedPolicies'], [
    { PolicyName: 'CliInvoke', PolicyArn: arn },
  ]);
  assert.deepEqual(parsed(await iam('list-role-policies', '--role-name', 'Cognito_CliAuth'))['PolicyNames'], ['invoke']);
  const roles = parsed(await iam('list-roles'))['Roles'] as Array<Record<string, unknown>>;
  assert.deepEqual(
    roles.map((r) => r['RoleName']),
    ['Cognito_CliAuth'],
  );
  // Given --endpoint-url, the CLI signs IAM for the region it is configured with: Cognate's own.
  assert.deepEqual(parsed(await iamIn('eu-west-1', 'list-roles'))['Roles'], roles);

  const conflict = await iam('delete-role', '--role-name', 'Cognito_CliAuth');
  assert.notEqual(conflict.code, 0);
  assert.match(
    conflict.stderr,
    /An error occurred \(DeleteConflict\) when calling the DeleteRole operation: Cannot delete entity, must delete policies first\./,
  );

  const missing = await iam('get-role', '--role-name', 'Nobody');
  assert.notEqual(missing.code, 0);
  assert.match(
    missing.stderr,
    /An error occurred \(NoSuchEntity\) when calling the GetRole operation: The role with name Nobody cannot be found\./,
  );

  const malformed = await iam('create-role', '--role-name', 'Broken', '--assume-role-policy-document', '{"Version":');
  assert.notEqual(malformed.code, 0);
  assert.match(malformed.stderr, /\(MalformedPolicyDocument\) when calling the CreateRole operation: This policy contains invalid Json/);

  assert.equal((await iam('delete-role-policy', '--role-name', 'Cognito_CliAuth', '--policy-name', 'invoke')).code, 0);
  assert.equal((await iam('detach-role-policy', '--role-name', 'Cognito_CliAuth', '--policy-arn', arn)).code, 0);
  assert.equal((await iam('delete-role', '--role-name', 'Cognito_CliAuth')).code, 0);
  assert.deepEqual(parsed(await iam('list-roles'))['Roles'], []);
});
