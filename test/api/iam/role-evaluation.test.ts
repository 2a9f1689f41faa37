import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { roleForEvaluation } from '../../../src/credentials/iam-roles.js';
import { cognitoTrustPolicy, roleAllows, trustAllowsWebIdentity } from '../../../src/domain/iam-policy.js';
import { startTestServer, type TestServer } from '../../support/server.js';

const POOL = 'us-east-1:0c0ffee0-0000-4000-8000-000000000001';
const SIGNED_IN = { aud: POOL, amr: ['authenticated'], sub: 'us-east-1:identity-1' };
const API = 'arn:aws:execute-api:us-east-1:000000000000:abc123/prod';

function invoke(resource: string, effect = 'Allow'): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: effect, Action: 'execute-api:Invoke', Resource: resource }] });
}

/** Runs `fn` against a fresh server with `strictIamRoles` as given, with an IAM client on it. */
async function withServer(strictIamRoles: boolean, fn: (server: TestServer, iam: IAMClient) => Promise<void>): Promise<void> {
  const server = await startTestServer({ strictIamRoles });
  const iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: server.adminKey, maxAttempts: 1 });
  try {
    await fn(server, iam);
  } finally {
    iam.destroy();
    await server.stop();
  }
}

test('a role created over IAM is evaluated with its trust policy and every policy it has, inline and attached', async () => {
  await withServer(false, async (server, iam) => {
    const { Role } = await iam.send(
      new CreateRoleCommand({ RoleName: 'AppAuth', AssumeRolePolicyDocument: cognitoTrustPolicy(POOL, 'authenticated') }),
    );
    await iam.send(new PutRolePolicyCommand({ RoleName: 'AppAuth', PolicyName: 'read', PolicyDocument: invoke(`${API}/GET/*`) }));
    const { Policy } = await iam.send(
      new CreatePolicyCommand({ PolicyName: 'NoDelete', PolicyDocument: invoke(`${API}/DELETE/*`, 'Deny') }),
    );
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'AppAuth', PolicyArn: Policy!.Arn }));

    const role = (await roleForEvaluation(server.services, Role!.Arn!, POOL))!;
    assert.equal(role.permissions.length, 2);
    assert.equal((await trustAllowsWebIdentity(role, SIGNED_IN)).allowed, true);
    assert.equal((await trustAllowsWebIdentity(role, { ...SIGNED_IN, amr: ['unauthenticated'] })).allowed, false);
    assert.equal((await roleAllows(role, { action: 'execute-api:Invoke', resource: `${API}/GET/pets` })).allowed, true);
    assert.equal((await roleAllows(role, { action: 'execute-api:Invoke', resource: `${API}/DELETE/pets` })).result, 'ExplicitlyDenied');
    assert.equal((await roleAllows(role, { action: 'execute-api:Invoke', resource: `${API}/POST/pets` })).result, 'ImplicitlyDenied');
  });
});

test("an ARN no role defines is a role with Cognito's standard trust and no permissions", async () => {
  await withServer(false, async (server) => {
    const role = (await roleForEvaluation(server.services, 'arn:aws:iam::000000000000:role/NeverCreated', POOL))!;
    assert.deepEqual(role.permissions, []);
    assert.equal((await trustAllowsWebIdentity(role, SIGNED_IN)).allowed, true);
    assert.equal((await roleAllows(role, { action: 'execute-api:Invoke', resource: `${API}/GET/pets` })).allowed, false);
    // The pool's unauthenticated role, undefined, trusts only the pool's guests.
    const guestRole = (await roleForEvaluation(
      server.services,
      'arn:aws:iam::000000000000:role/NeverCreatedGuest',
      POOL,
      'unauthenticated',
    ))!;
    assert.equal((await trustAllowsWebIdentity(guestRole, SIGNED_IN)).allowed, false);
    assert.equal((await trustAllowsWebIdentity(guestRole, { ...SIGNED_IN, amr: ['unauthenticated'] })).allowed, true);
  });
});

test('with strictIamRoles an ARN no role defines is refused, while defined roles are still found', async () => {
  await withServer(true, async (server, iam) => {
    assert.equal(await roleForEvaluation(server.services, 'arn:aws:iam::000000000000:role/NeverCreated', POOL), undefined);
    const { Role } = await iam.send(new CreateRoleCommand({ RoleName: 'Defined', AssumeRolePolicyDocument: cognitoTrustPolicy(POOL) }));
    assert.equal((await roleForEvaluation(server.services, Role!.Arn!, POOL))?.arn, Role!.Arn);
  });
});
