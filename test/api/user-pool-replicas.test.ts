import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateUserPoolCommand,
  CreateUserPoolReplicaCommand,
  DeleteUserPoolCommand,
  DeleteUserPoolReplicaCommand,
  ListUserPoolReplicasCommand,
  ListUserPoolsCommand,
  UpdateUserPoolReplicaCommand,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { expectCognitoError as expectError, serverForTests, type TestServer } from '../support/server.js';

let server: TestServer;
serverForTests((started) => {
  server = started;
});

async function newPool(input: Partial<CreateUserPoolCommandInput> = {}): Promise<string> {
  const created = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'replicated', ...input }));
  return created.UserPool!.Id!;
}

function arn(region: string, poolId: string): string {
  return `arn:aws:cognito-idp:${region}:${server.services.config.accountId}:userpool/${poolId}`;
}

test('a pool lists itself as the PRIMARY replica in the server Region', async () => {
  const poolId = await newPool();
  const listed = await server.admin.send(new ListUserPoolReplicasCommand({ UserPoolId: poolId }));
  assert.deepEqual(listed.UserPoolReplicas, [
    { RegionName: 'us-east-1', Status: 'ACTIVE', Role: 'PRIMARY', UserPoolArn: arn('us-east-1', poolId) },
  ]);
  assert.equal(listed.NextToken, undefined);
});

test('CreateUserPoolReplica answers CREATING, and the replica then lists as an INACTIVE SECONDARY', async () => {
  const poolId = await newPool();
  const created = await server.admin.send(
    new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'eu-west-1', UserPoolTags: { team: 'identity' } }),
  );
  assert.deepEqual(created.UserPoolReplica, {
    RegionName: 'eu-west-1',
    Status: 'CREATING',
    Role: 'SECONDARY',
    UserPoolArn: arn('eu-west-1', poolId),
  });
  const listed = await server.admin.send(new ListUserPoolReplicasCommand({ UserPoolId: poolId }));
  assert.deepEqual(listed.UserPoolReplicas, [
    { RegionName: 'us-east-1', Status: 'ACTIVE', Role: 'PRIMARY', UserPoolArn: arn('us-east-1', poolId) },
    { RegionName: 'eu-west-1', Status: 'INACTIVE', Role: 'SECONDARY', UserPoolArn: arn('eu-west-1', poolId) },
  ]);
});

test('CreateUserPoolReplica refuses LITE pools, the primary Region, an unknown Region, a second secondary and an unknown pool', async () => {
  const lite = await newPool({ UserPoolTier: 'LITE' });
  await expectError(
    () => server.admin.send(new CreateUserPoolReplicaCommand({ UserPoolId: lite, RegionName: 'eu-west-1' })),
    'FeatureUnavailableInTierException',
    'Multi-Region replication requires the ESSENTIALS or PLUS feature plan.',
  );
  const poolId = await newPool({ UserPoolTier: 'PLUS' });
  await expectError(
    () => server.admin.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'us-east-1' })),
    'InvalidParameterException',
    `User pool ${poolId} is already in us-east-1: a replica needs another Region.`,
  );
  await expectError(
    () => server.admin.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'moon-base' })),
    'InvalidParameterException',
    'moon-base is not a valid AWS Region.',
  );
  await server.admin.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'ap-southeast-2' }));
  await expectError(
    () => server.admin.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'ap-southeast-2' })),
    'InvalidParameterException',
    `User pool ${poolId} already has a replica in ap-southeast-2.`,
  );
  await expectError(
    () => server.admin.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'eu-central-1' })),
    'LimitExceededException',
    `User pool ${poolId} already has 1 secondary replica, the most it can have.`,
  );
  await expectError(
    () => server.admin.send(new CreateUserPoolReplicaCommand({ UserPoolId: 'us-east-1_nosuchpool', RegionName: 'eu-west-1' })),
    'ResourceNotFoundException',
    'User pool us-east-1_nosuchpool does not exist.',
  );
  await expectError(
    () => server.admin.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'eu' })),
    'InvalidParameterException',
    /at 'regionName' failed to satisfy constraint: Member must have length greater than or equal to 5/,
  );
});

test('UpdateUserPoolReplica turns a secondary ACTIVE and back; DeleteUserPoolReplica takes only an INACTIVE one', async () => {
  const poolId = await newPool();
  await server.admin.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'eu-west-1' }));
  const active = await server.admin.send(
    new UpdateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'eu-west-1', Status: 'ACTIVE' }),
  );
  assert.deepEqual(active.UserPoolReplica, {
    RegionName: 'eu-west-1',
    Status: 'ACTIVE',
    Role: 'SECONDARY',
    UserPoolArn: arn('eu-west-1', poolId),
  });
  const listed = await server.admin.send(new ListUserPoolReplicasCommand({ UserPoolId: poolId }));
  assert.equal(listed.UserPoolReplicas![1]!.Status, 'ACTIVE');

  await expectError(
    () => server.admin.send(new DeleteUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'eu-west-1' })),
    'InvalidParameterException',
    `The replica of user pool ${poolId} in eu-west-1 must be INACTIVE to be deleted.`,
  );
  await server.admin.send(new UpdateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'eu-west-1', Status: 'INACTIVE' }));
  const deleted = await server.admin.send(new DeleteUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'eu-west-1' }));
  assert.deepEqual(deleted.UserPoolReplica, {
    RegionName: 'eu-west-1',
    Status: 'DELETING',
    Role: 'SECONDARY',
    UserPoolArn: arn('eu-west-1', poolId),
  });
  const after = await server.admin.send(new ListUserPoolReplicasCommand({ UserPoolId: poolId }));
  assert.deepEqual(
    after.UserPoolReplicas!.map((replica) => replica.Role),
    ['PRIMARY'],
  );
  // With the secondary gone, another Region may be chosen.
  await server.admin.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'eu-central-1' }));
});

test('the primary cannot be updated or deleted, and an absent secondary is ResourceNotFoundException', async () => {
  const poolId = await newPool();
  await expectError(
    () => server.admin.send(new UpdateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'us-east-1', Status: 'INACTIVE' })),
    'InvalidParameterException',
    `The primary replica of user pool ${poolId} cannot be updated.`,
  );
  await expectError(
    () => server.admin.send(new DeleteUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'us-east-1' })),
    'InvalidParameterException',
    `The primary replica of user pool ${poolId} cannot be deleted.`,
  );
  await expectError(
    () => server.admin.send(new UpdateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'eu-west-1', Status: 'ACTIVE' })),
    'ResourceNotFoundException',
    `User pool ${poolId} has no replica in eu-west-1.`,
  );
  await expectError(
    () => server.admin.send(new DeleteUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'eu-west-1' })),
    'ResourceNotFoundException',
    `User pool ${poolId} has no replica in eu-west-1.`,
  );
  await expectError(
    () =>
      server.admin.send(new UpdateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'eu-west-1', Status: 'DELETING' as 'ACTIVE' })),
    'InvalidParameterException',
    /at 'status' failed to satisfy constraint: Member must satisfy enum value set/,
  );
  await expectError(
    () => server.admin.send(new ListUserPoolReplicasCommand({ UserPoolId: poolId, NextToken: 'bogus!' })),
    'InvalidParameterException',
    /^Paging marker bogus! is invalid for request /,
  );
});

test("ListUserPools names the Regions of a pool's secondary replicas", async () => {
  const replicated = await newPool();
  const single = await newPool();
  await server.admin.send(new CreateUserPoolReplicaCommand({ UserPoolId: replicated, RegionName: 'eu-west-1' }));
  const listed = (await server.admin.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools!;
  assert.deepEqual(listed.find((pool) => pool.Id === replicated)?.ReplicaRegions, ['eu-west-1']);
  const alone = listed.find((pool) => pool.Id === single);
  assert.ok(alone, 'the pool without replicas is listed');
  assert.equal(alone.ReplicaRegions, undefined);
});

test('replica changes are audit events that name the Region', async () => {
  const poolId = await newPool();
  await server.admin.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'eu-west-1' }));
  await server.admin.send(new UpdateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'eu-west-1', Status: 'ACTIVE' }));
  const events = (await server.services.store.auditEvents.list({ poolId, limit: 10 })).reverse();
  assert.deepEqual(
    events.map((event) => [event.event, event.outcome, event.detail]),
    [
      ['CreateUserPool', 'Pass', { PoolName: 'replicated' }],
      ['CreateUserPoolReplica', 'Pass', { RegionName: 'eu-west-1' }],
      ['UpdateUserPoolReplica', 'Pass', { RegionName: 'eu-west-1' }],
    ],
  );
});

test('deleting the pool deletes its replicas', async () => {
  const poolId = await newPool();
  await server.admin.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'eu-west-1' }));
  await server.admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
  assert.deepEqual(await server.services.store.userPoolReplicas.list(poolId), []);
});
