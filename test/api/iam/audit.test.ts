import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { CreateRoleCommand, GetRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { createLogger } from '../../../src/bootstrap.js';
import { cognitoTrustPolicy } from '../../../src/domain/iam-policy.js';
import { startTestServer } from '../../support/server.js';

test('IAM changes are audit events naming the role and policy, never their documents; reads are not', async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const server = await startTestServer({}, { logger: createLogger('info', sink) });
  const iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: server.adminKey, maxAttempts: 1 });
  const trust = cognitoTrustPolicy('us-east-1:audited-pool', 'authenticated');
  try {
    await iam.send(new CreateRoleCommand({ RoleName: 'Audited', AssumeRolePolicyDocument: trust }));
    await iam.send(new GetRoleCommand({ RoleName: 'Audited' }));
    await assert.rejects(
      iam.send(new PutRolePolicyCommand({ RoleName: 'Missing', PolicyName: 'invoke', PolicyDocument: '{"Statement":[]}' })),
      { name: 'NoSuchEntityException' },
    );
  } finally {
    iam.destroy();
    await server.stop();
  }
  const events = lines
    .join('')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line['msg'] === 'audit')
    .map((line) => line['audit'] as Record<string, unknown>);
  assert.deepEqual(
    events.map((event) => [event['event'], event['outcome'], event['error'], event['actor'], event['detail']]),
    [
      ['CreateRole', 'Pass', null, server.adminKey.accessKeyId, { RoleName: 'Audited' }],
      ['PutRolePolicy', 'Fail', 'NoSuchEntity', server.adminKey.accessKeyId, { RoleName: 'Missing', PolicyName: 'invoke' }],
    ],
  );
  assert.ok(!lines.join('').includes('cognito-identity.amazonaws.com:aud'), 'a policy document reached the log');
});
