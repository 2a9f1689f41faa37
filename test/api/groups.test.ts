import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteGroupCommand,
  GetGroupCommand,
  ListGroupsCommand,
  ListUsersInGroupCommand,
  UpdateGroupCommand,
  type CreateUserPoolCommandInput,
  type GroupType,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { startTestServer, captureError, type TestServer } from '../support/server.js';
import { FrozenClock } from '../../src/lib/clock.js';
import { issueTokens } from '../../src/tokens/issue.js';
import type { UserRecord } from '../../src/store/ports.js';

// Frozen near the real time: SigV4 checks the request date against the server's clock.
const clock = FrozenClock.atNow();
let server: TestServer;
before(async () => {
  server = await startTestServer({}, { clock });
});
after(() => server.stop());

const ROLE_A = 'arn:aws:iam::123456789012:role/GroupRoleA';
const ROLE_B = 'arn:aws:iam::123456789012:role/GroupRoleB';

async function newPool(input: Partial<CreateUserPoolCommandInput> = {}): Promise<string> {
  const created = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'groups', ...input }));
  return created.UserPool!.Id!;
}

/**
 * Puts a confirmed user straight into the store (AdminCreateUser belongs to another area), keyed
 * the way the pool keys usernames.
 */
async function insertUser(
  poolId: string,
  username: string,
  attributes: Record<string, string> = {},
  caseInsensitive = false,
): Promise<UserRecord> {
  const sub = randomUUID();
  const now = server.services.clock.now();
  const user: UserRecord = {
    poolId,
    username,
    usernameKey: caseInsensitive ? username.toLowerCase() : username,
    sub,
    status: 'CONFIRMED',
    enabled: true,
    attributes: { sub, ...attributes },
    passwordHash: null,
    passwordChangedAt: null,
    tokensValidAfter: 0,
    extra: {},
    createdAt: now,
    updatedAt: now,
  };
  assert.equal(await server.services.store.users.insert(user), true);
  return user;
}

async function createGroup(
  poolId: string,
  name: string,
  extra: Omit<Partial<GroupType>, 'GroupName' | 'UserPoolId'> = {},
): Promise<GroupType> {
  const created = await server.admin.send(
    new CreateGroupCommand({
      UserPoolId: poolId,
      GroupName: name,
      ...(extra.Description !== undefined ? { Description: extra.Description } : {}),
      ...(extra.RoleArn !== undefined ? { RoleArn: extra.RoleArn } : {}),
      ...(extra.Precedence !== undefined ? { Precedence: extra.Precedence } : {}),
    }),
  );
  return created.Group!;
}

async function addToGroup(poolId: string, username: string, group: string): Promise<void> {
  await server.admin.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: username, GroupName: group }));
}

async function groupNamesOf(poolId: string, username: string): Promise<string[]> {
  const listed = await server.admin.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: username }));
  return listed.Groups!.map((g) => g.GroupName!);
}

// ---------------------------------------------------------------------------------------------
// CreateGroup / GetGroup

test('CreateGroup returns the GroupType with every member and epoch-second dates', async () => {
  const poolId = await newPool();
  const group = await createGroup(poolId, 'admins', { Description: 'The admins', RoleArn: ROLE_A, Precedence: 0 });
  assert.deepEqual(Object.keys(group).sort(), [
    'CreationDate',
    'Description',
    'GroupName',
    'LastModifiedDate',
    'Precedence',
    'RoleArn',
    'UserPoolId',
  ]);
  assert.equal(group.GroupName, 'admins');
  assert.equal(group.UserPoolId, poolId);
  assert.equal(group.Description, 'The admins');
  assert.equal(group.RoleArn, ROLE_A);
  assert.equal(group.Precedence, 0, 'precedence 0 is kept, not dropped as falsy');
  assert.ok(group.CreationDate instanceof Date);
  assert.ok(group.LastModifiedDate instanceof Date);
  assert.equal(group.CreationDate.getTime(), clock.now());
  assert.equal(group.LastModifiedDate.getTime(), clock.now());
});

test('CreateGroup without optional members leaves them out of the response', async () => {
  const poolId = await newPool();
  const group = await createGroup(poolId, 'plain');
  assert.deepEqual(Object.keys(group).sort(), ['CreationDate', 'GroupName', 'LastModifiedDate', 'UserPoolId']);
  const fetched = await server.admin.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'plain' }));
  assert.deepEqual(fetched.Group, group);
});

test('CreateGroup with a name already in the pool is GroupExistsException', async () => {
  const poolId = await newPool();
  await createGroup(poolId, 'editors');
  const error = await captureError(() => createGroup(poolId, 'editors', { Description: 'again' }));
  assert.equal(error.name, 'GroupExistsException');
  assert.equal(error.message, 'A group with the name editors already exists.');
  assert.equal(error.$metadata?.httpStatusCode, 400);
});

test('group names are case sensitive', async () => {
  const poolId = await newPool();
  await createGroup(poolId, 'Editors');
  await createGroup(poolId, 'editors');
  const listed = await server.admin.send(new ListGroupsCommand({ UserPoolId: poolId }));
  // Sorted here: the order of names that differ only in case is the database collation's.
  assert.deepEqual(listed.Groups!.map((g) => g.GroupName!).sort(), ['Editors', 'editors']);
});

test('group operations on an unknown pool are ResourceNotFoundException naming the pool', async () => {
  const missing = 'us-east-1_NoSuchPoo';
  const calls = [
    () => server.admin.send(new CreateGroupCommand({ UserPoolId: missing, GroupName: 'g' })),
    () => server.admin.send(new GetGroupCommand({ UserPoolId: missing, GroupName: 'g' })),
    () => server.admin.send(new UpdateGroupCommand({ UserPoolId: missing, GroupName: 'g' })),
    () => server.admin.send(new DeleteGroupCommand({ UserPoolId: missing, GroupName: 'g' })),
    () => server.admin.send(new ListGroupsCommand({ UserPoolId: missing })),
    () => server.admin.send(new AdminAddUserToGroupCommand({ UserPoolId: missing, GroupName: 'g', Username: 'u' })),
    () => server.admin.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: missing, GroupName: 'g', Username: 'u' })),
    () => server.admin.send(new AdminListGroupsForUserCommand({ UserPoolId: missing, Username: 'u' })),
    () => server.admin.send(new ListUsersInGroupCommand({ UserPoolId: missing, GroupName: 'g' })),
  ];
  for (const call of calls) {
    const error = await captureError(call);
    assert.equal(error.name, 'ResourceNotFoundException');
    assert.equal(error.message, `User pool ${missing} does not exist.`);
    assert.equal(error.$metadata?.httpStatusCode, 400);
  }
});

test('an unknown group is ResourceNotFoundException "Group not found." for every group operation', async () => {
  const poolId = await newPool();
  await insertUser(poolId, 'someone');
  const calls = [
    () => server.admin.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'nope' })),
    () => server.admin.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'nope', Description: 'x' })),
    () => server.admin.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'nope' })),
    () => server.admin.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, GroupName: 'nope', Username: 'someone' })),
    () => server.admin.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, GroupName: 'nope', Username: 'someone' })),
    () => server.admin.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'nope' })),
  ];
  for (const call of calls) {
    const error = await captureError(call);
    assert.equal(error.name, 'ResourceNotFoundException');
    assert.equal(error.message, 'Group not found.');
    assert.equal(error.$metadata?.httpStatusCode, 400);
  }
});

test('model constraints on group inputs come back as InvalidParameterException', async () => {
  const poolId = await newPool();
  const arn = 'arn:aws:iam::account:role/NoAccountNumber';
  const badArn = await captureError(() => server.admin.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'g', RoleArn: arn })));
  assert.equal(badArn.name, 'InvalidParameterException');
  assert.equal(
    badArn.message,
    `1 validation error detected: Value '${arn}' at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?`,
  );
  const update = await captureError(() =>
    server.admin.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'g', RoleArn: 'short' })),
  );
  assert.equal(update.name, 'InvalidParameterException');
  assert.match(
    update.message,
    /^2 validation errors detected: Value 'short' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20; /,
  );

  const negative = await captureError(() =>
    server.admin.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'g', Precedence: -1 })),
  );
  assert.equal(negative.name, 'InvalidParameterException');
  assert.equal(
    negative.message,
    "1 validation error detected: Value '-1' at 'precedence' failed to satisfy constraint: Member must have value greater than or equal to 0",
  );

  const longName = await captureError(() => server.admin.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'g'.repeat(129) })));
  assert.equal(longName.name, 'InvalidParameterException');
  assert.match(longName.message, /at 'groupName' failed to satisfy constraint: Member must have length less than or equal to 128/);

  const overLimit = await captureError(() => server.admin.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 61 })));
  assert.equal(overLimit.name, 'InvalidParameterException');
  assert.equal(
    overLimit.message,
    "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60",
  );
});

// ---------------------------------------------------------------------------------------------
// UpdateGroup / DeleteGroup

test('UpdateGroup changes only the members given and moves LastModifiedDate', async () => {
  const poolId = await newPool();
  const created = await createGroup(poolId, 'staff', { Description: 'Staff', RoleArn: ROLE_A, Precedence: 5 });
  // Moved forward for this test only: later tests (and SigV4) see the time as it was.
  await clock.travel(60_000, async () => {
    const updated = (await server.admin.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'staff', Precedence: 1 }))).Group!;
    assert.equal(updated.GroupName, 'staff');
    assert.equal(updated.UserPoolId, poolId);
    assert.equal(updated.Precedence, 1);
    assert.equal(updated.Description, 'Staff', 'an omitted Description is kept');
    assert.equal(updated.RoleArn, ROLE_A, 'an omitted RoleArn is kept');
    assert.equal(updated.CreationDate!.getTime(), created.CreationDate!.getTime());
    assert.equal(updated.LastModifiedDate!.getTime(), created.LastModifiedDate!.getTime() + 60_000);

    const again = (
      await server.admin.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'staff', Description: 'All staff', RoleArn: ROLE_B }))
    ).Group!;
    assert.equal(again.Description, 'All staff');
    assert.equal(again.RoleArn, ROLE_B);
    assert.equal(again.Precedence, 1);

    const fetched = (await server.admin.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'staff' }))).Group!;
    assert.deepEqual(fetched, again);
  });
});

test('DeleteGroup removes the group and its memberships', async () => {
  const poolId = await newPool();
  await insertUser(poolId, 'dora');
  await createGroup(poolId, 'doomed');
  await createGroup(poolId, 'kept');
  await addToGroup(poolId, 'dora', 'doomed');
  await addToGroup(poolId, 'dora', 'kept');

  const deleted = await server.admin.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'doomed' }));
  assert.equal(deleted.$metadata.httpStatusCode, 200);
  assert.deepEqual(await groupNamesOf(poolId, 'dora'), ['kept']);

  const gone = await captureError(() => server.admin.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'doomed' })));
  assert.equal(gone.name, 'ResourceNotFoundException');
  assert.equal(gone.message, 'Group not found.');

  // A group of the same name starts empty.
  await createGroup(poolId, 'doomed');
  const members = await server.admin.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'doomed' }));
  assert.deepEqual(members.Users, []);
});

// ---------------------------------------------------------------------------------------------
// ListGroups

test('ListGroups pages through the groups in name order with Limit and NextToken', async () => {
  const poolId = await newPool();
  for (const name of ['delta', 'alpha', 'echo', 'charlie', 'bravo']) await createGroup(poolId, name, { Precedence: 3 });

  const first = await server.admin.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 2 }));
  assert.deepEqual(
    first.Groups!.map((g) => g.GroupName),
    ['alpha', 'bravo'],
  );
  assert.equal(first.Groups![0]!.UserPoolId, poolId);
  assert.equal(first.Groups![0]!.Precedence, 3);
  assert.ok(first.Groups![0]!.CreationDate instanceof Date);
  assert.equal(typeof first.NextToken, 'string');

  const second = await server.admin.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 2, NextToken: first.NextToken }));
  assert.deepEqual(
    second.Groups!.map((g) => g.GroupName),
    ['charlie', 'delta'],
  );
  assert.ok(second.NextToken);

  const last = await server.admin.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 2, NextToken: second.NextToken }));
  assert.deepEqual(
    last.Groups!.map((g) => g.GroupName),
    ['echo'],
  );
  assert.equal(last.NextToken, undefined);

  const all = await server.admin.send(new ListGroupsCommand({ UserPoolId: poolId }));
  assert.equal(all.Groups!.length, 5);
  assert.equal(all.NextToken, undefined);

  const zero = await server.admin.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 0 }));
  assert.equal(zero.Groups!.length, 5, 'Limit 0 is the default page size');
});

test('ListGroups of an empty pool is an empty list without NextToken', async () => {
  const poolId = await newPool();
  const listed = await server.admin.send(new ListGroupsCommand({ UserPoolId: poolId }));
  assert.deepEqual(listed.Groups, []);
  assert.equal(listed.NextToken, undefined);
});

test('a page ending exactly at the last group has no NextToken', async () => {
  const poolId = await newPool();
  await createGroup(poolId, 'one');
  await createGroup(poolId, 'two');
  const listed = await server.admin.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 2 }));
  assert.equal(listed.Groups!.length, 2);
  assert.equal(listed.NextToken, undefined);
});

test('a NextToken the server did not issue is InvalidParameterException', async () => {
  const poolId = await newPool();
  await insertUser(poolId, 'tom');
  await createGroup(poolId, 'g');
  for (const token of ['not a token', 'AAAA=', '!!!', '_w']) {
    const calls = [
      () => server.admin.send(new ListGroupsCommand({ UserPoolId: poolId, NextToken: token })),
      () => server.admin.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'tom', NextToken: token })),
      () => server.admin.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'g', NextToken: token })),
    ];
    for (const call of calls) {
      const error = await captureError(call);
      assert.equal(error.name, 'InvalidParameterException', `token ${JSON.stringify(token)}`);
      assert.equal(error.$metadata?.httpStatusCode, 400);
    }
  }
  const error = await captureError(() => server.admin.send(new ListGroupsCommand({ UserPoolId: poolId, NextToken: '!!!' })));
  assert.match(error.message, /^Paging marker !!! is invalid for request \S+$/);
});

test('two pools with the same group name keep their groups and members apart', async () => {
  const poolA = await newPool({ PoolName: 'tenant-a' });
  const poolB = await newPool({ PoolName: 'tenant-b' });
  await createGroup(poolA, 'shared', { Description: 'A', Precedence: 1 });
  await createGroup(poolB, 'shared', { Description: 'B', Precedence: 2 });
  await createGroup(poolA, 'only-a');
  await insertUser(poolA, 'sam');
  await insertUser(poolB, 'sam');
  await insertUser(poolB, 'bea');
  await addToGroup(poolA, 'sam', 'shared');
  await addToGroup(poolA, 'sam', 'only-a');
  await addToGroup(poolB, 'bea', 'shared');

  const listedA = await server.admin.send(new ListGroupsCommand({ UserPoolId: poolA }));
  const listedB = await server.admin.send(new ListGroupsCommand({ UserPoolId: poolB }));
  assert.deepEqual(
    listedA.Groups!.map((g) => [g.GroupName, g.Description, g.UserPoolId]),
    [
      ['only-a', undefined, poolA],
      ['shared', 'A', poolA],
    ],
  );
  assert.deepEqual(
    listedB.Groups!.map((g) => [g.GroupName, g.Description, g.UserPoolId]),
    [['shared', 'B', poolB]],
  );

  assert.deepEqual(await groupNamesOf(poolA, 'sam'), ['only-a', 'shared']);
  assert.deepEqual(await groupNamesOf(poolB, 'sam'), [], "pool A's sam is not pool B's sam");

  const inA = await server.admin.send(new ListUsersInGroupCommand({ UserPoolId: poolA, GroupName: 'shared' }));
  const inB = await server.admin.send(new ListUsersInGroupCommand({ UserPoolId: poolB, GroupName: 'shared' }));
  assert.deepEqual(
    inA.Users!.map((u) => u.Username),
    ['sam'],
  );
  assert.deepEqual(
    inB.Users!.map((u) => u.Username),
    ['bea'],
  );

  await server.admin.send(new DeleteGroupCommand({ UserPoolId: poolA, GroupName: 'shared' }));
  const stillB = await server.admin.send(new GetGroupCommand({ UserPoolId: poolB, GroupName: 'shared' }));
  assert.equal(stillB.Group!.Description, 'B');
  assert.deepEqual(
    (await server.admin.send(new ListUsersInGroupCommand({ UserPoolId: poolB, GroupName: 'shared' }))).Users!.map((u) => u.Username),
    ['bea'],
  );
});

// ---------------------------------------------------------------------------------------------
// AdminAddUserToGroup / AdminRemoveUserFromGroup / AdminListGroupsForUser

test('AdminAddUserToGroup adds a user once, however often it is called', async () => {
  const poolId = await newPool();
  await insertUser(poolId, 'ann');
  await createGroup(poolId, 'readers');
  const added = await server.admin.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'ann', GroupName: 'readers' }));
  assert.equal(added.$metadata.httpStatusCode, 200);
  await addToGroup(poolId, 'ann', 'readers');
  assert.deepEqual(await groupNamesOf(poolId, 'ann'), ['readers']);
  const members = await server.admin.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'readers' }));
  assert.deepEqual(
    members.Users!.map((u) => u.Username),
    ['ann'],
  );
});

test('users are named by username, sub, email alias or any case in a case-insensitive pool', async () => {
  const poolId = await newPool({ UsernameConfiguration: { CaseSensitive: false }, AliasAttributes: ['email'] });
  const user = await insertUser(poolId, 'Carol', { email: 'carol@example.com', email_verified: 'true' }, true);
  for (const name of ['a', 'b', 'c', 'd']) await createGroup(poolId, name);

  await addToGroup(poolId, 'Carol', 'a');
  await addToGroup(poolId, 'CAROL', 'b');
  await addToGroup(poolId, user.sub, 'c');
  await addToGroup(poolId, 'carol@example.com', 'd');
  assert.deepEqual(await groupNamesOf(poolId, 'carol'), ['a', 'b', 'c', 'd']);
  assert.deepEqual(await groupNamesOf(poolId, user.sub), ['a', 'b', 'c', 'd']);

  await server.admin.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: 'carol@example.com', GroupName: 'a' }));
  await server.admin.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: user.sub, GroupName: 'b' }));
  assert.deepEqual(await groupNamesOf(poolId, 'Carol'), ['c', 'd']);
});

test('an unknown user is UserNotFoundException "User does not exist."', async () => {
  const poolId = await newPool();
  await createGroup(poolId, 'g');
  const calls = [
    () => server.admin.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'ghost', GroupName: 'g' })),
    () => server.admin.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: 'ghost', GroupName: 'g' })),
    () => server.admin.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'ghost' })),
    () => server.admin.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: randomUUID() })),
  ];
  for (const call of calls) {
    const error = await captureError(call);
    assert.equal(error.name, 'UserNotFoundException');
    assert.equal(error.message, 'User does not exist.');
    assert.equal(error.$metadata?.httpStatusCode, 400);
  }
});

test('AdminRemoveUserFromGroup removes the membership and accepts a user who is not a member', async () => {
  const poolId = await newPool();
  await insertUser(poolId, 'rob');
  await createGroup(poolId, 'x');
  await createGroup(poolId, 'y');
  await addToGroup(poolId, 'rob', 'x');
  await addToGroup(poolId, 'rob', 'y');

  const removed = await server.admin.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: 'rob', GroupName: 'x' }));
  assert.equal(removed.$metadata.httpStatusCode, 200);
  assert.deepEqual(await groupNamesOf(poolId, 'rob'), ['y']);
  await server.admin.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: 'rob', GroupName: 'x' }));
  assert.deepEqual(await groupNamesOf(poolId, 'rob'), ['y']);
  const members = await server.admin.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'x' }));
  assert.deepEqual(members.Users, []);
});

test('AdminListGroupsForUser pages the full GroupType in name order', async () => {
  const poolId = await newPool();
  await insertUser(poolId, 'pat');
  await createGroup(poolId, 'unrelated');
  for (const name of ['g3', 'g1', 'g2']) {
    await createGroup(poolId, name, { Description: `about ${name}`, RoleArn: ROLE_A, Precedence: 7 });
    await addToGroup(poolId, 'pat', name);
  }
  const first = await server.admin.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'pat', Limit: 2 }));
  assert.deepEqual(
    first.Groups!.map((g) => g.GroupName),
    ['g1', 'g2'],
  );
  const g1 = first.Groups![0]!;
  assert.deepEqual(Object.keys(g1).sort(), [
    'CreationDate',
    'Description',
    'GroupName',
    'LastModifiedDate',
    'Precedence',
    'RoleArn',
    'UserPoolId',
  ]);
  assert.equal(g1.Description, 'about g1');
  assert.equal(g1.RoleArn, ROLE_A);
  assert.ok(first.NextToken);

  const second = await server.admin.send(
    new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'pat', Limit: 2, NextToken: first.NextToken }),
  );
  assert.deepEqual(
    second.Groups!.map((g) => g.GroupName),
    ['g3'],
  );
  assert.equal(second.NextToken, undefined);

  await insertUser(poolId, 'lonely');
  const none = await server.admin.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'lonely' }));
  assert.deepEqual(none.Groups, []);
  assert.equal(none.NextToken, undefined);
});

// ---------------------------------------------------------------------------------------------
// ListUsersInGroup

test('ListUsersInGroup returns UserType with Attributes and pages with Limit and NextToken', async () => {
  const poolId = await newPool();
  await createGroup(poolId, 'team');
  const users: UserRecord[] = [];
  for (const name of ['uma', 'ivy', 'eve']) {
    users.push(await insertUser(poolId, name, { email: `${name}@example.com` }));
    await addToGroup(poolId, name, 'team');
  }
  await insertUser(poolId, 'outsider');

  const first = await server.admin.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'team', Limit: 2 }));
  assert.deepEqual(
    first.Users!.map((u) => u.Username),
    ['eve', 'ivy'],
  );
  const eve = first.Users![0]!;
  const eveRecord = users.find((u) => u.username === 'eve')!;
  assert.deepEqual(Object.keys(eve).sort(), ['Attributes', 'Enabled', 'UserCreateDate', 'UserLastModifiedDate', 'UserStatus', 'Username']);
  assert.deepEqual(
    [...eve.Attributes!].sort((a, b) => a.Name!.localeCompare(b.Name!)),
    [
      { Name: 'email', Value: 'eve@example.com' },
      { Name: 'sub', Value: eveRecord.sub },
    ],
  );
  assert.equal(eve.Enabled, true);
  assert.equal(eve.UserStatus, 'CONFIRMED');
  assert.ok(eve.UserCreateDate instanceof Date);
  assert.ok(eve.UserLastModifiedDate instanceof Date);
  assert.ok(first.NextToken);

  const second = await server.admin.send(
    new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'team', Limit: 2, NextToken: first.NextToken }),
  );
  assert.deepEqual(
    second.Users!.map((u) => u.Username),
    ['uma'],
  );
  assert.equal(second.NextToken, undefined);

  const all = await server.admin.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'team' }));
  assert.equal(all.Users!.length, 3);
  assert.equal(all.NextToken, undefined);
});

test('a deleted user leaves the groups it was in', async () => {
  const poolId = await newPool();
  await createGroup(poolId, 'temp');
  await insertUser(poolId, 'gone');
  await insertUser(poolId, 'stays');
  await addToGroup(poolId, 'gone', 'temp');
  await addToGroup(poolId, 'stays', 'temp');
  await server.services.store.users.delete(poolId, 'gone');
  const members = await server.admin.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'temp' }));
  assert.deepEqual(
    members.Users!.map((u) => u.Username),
    ['stays'],
  );
});

// ---------------------------------------------------------------------------------------------
// Groups in tokens

async function tokenClaimsFor(poolId: string, user: UserRecord): Promise<{ id: Record<string, unknown>; access: Record<string, unknown> }> {
  const created = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app' }));
  const pool = (await server.services.store.pools.get(poolId))!;
  const client = (await server.services.store.clients.get(poolId, created.UserPoolClient!.ClientId!))!;
  const result = await issueTokens(server.services, {
    source: 'TokenGeneration_Authentication',
    pool,
    client,
    user,
    authTime: clock.now(),
    refresh: 'none',
  });
  return { id: decodeJwt(result.IdToken!), access: decodeJwt(result.AccessToken!) };
}

test('a user without groups gets no group claims', async () => {
  const poolId = await newPool();
  const user = await insertUser(poolId, 'nogroups');
  await createGroup(poolId, 'someone-elses', { RoleArn: ROLE_A, Precedence: 0 });
  const { id, access } = await tokenClaimsFor(poolId, user);
  for (const claims of [id, access]) {
    assert.equal('cognito:groups' in claims, false);
    assert.equal('cognito:roles' in claims, false);
    assert.equal('cognito:preferred_role' in claims, false);
  }
});

test('tokens carry cognito:groups, and the ID token cognito:roles and the lowest-precedence role', async () => {
  const poolId = await newPool();
  const user = await insertUser(poolId, 'tina');
  await createGroup(poolId, 'zeta', { RoleArn: ROLE_B, Precedence: 10 });
  await createGroup(poolId, 'alpha', { RoleArn: ROLE_A, Precedence: 2 });
  await createGroup(poolId, 'mid', { Precedence: 0 });
  for (const g of ['zeta', 'alpha', 'mid']) await addToGroup(poolId, 'tina', g);

  const { id, access } = await tokenClaimsFor(poolId, user);
  assert.deepEqual(id['cognito:groups'], ['alpha', 'mid', 'zeta']);
  assert.deepEqual([...(id['cognito:roles'] as string[])].sort(), [ROLE_A, ROLE_B]);
  // 'mid' ranks first but has no role: the preferred role comes from the best group with one.
  assert.equal(id['cognito:preferred_role'], ROLE_A);
  assert.deepEqual(access['cognito:groups'], ['alpha', 'mid', 'zeta']);
  assert.equal('cognito:roles' in access, false);
  assert.equal('cognito:preferred_role' in access, false);

  // A change of precedence shows in the next tokens.
  await server.admin.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'zeta', Precedence: 1 }));
  assert.equal((await tokenClaimsFor(poolId, user)).id['cognito:preferred_role'], ROLE_B);

  // So does leaving a group.
  await server.admin.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: 'tina', GroupName: 'zeta' }));
  const after = (await tokenClaimsFor(poolId, user)).id;
  assert.deepEqual(after['cognito:groups'], ['alpha', 'mid']);
  assert.deepEqual(after['cognito:roles'], [ROLE_A]);
  assert.equal(after['cognito:preferred_role'], ROLE_A);
});

test('a precedence tie between different roles gives no preferred role; the same role gives it', async () => {
  const poolId = await newPool();
  const user = await insertUser(poolId, 'tied');
  await createGroup(poolId, 'left', { RoleArn: ROLE_A, Precedence: 3 });
  await createGroup(poolId, 'right', { RoleArn: ROLE_B, Precedence: 3 });
  await createGroup(poolId, 'worse', { RoleArn: ROLE_A, Precedence: 9 });
  for (const g of ['left', 'right', 'worse']) await addToGroup(poolId, 'tied', g);

  const tie = (await tokenClaimsFor(poolId, user)).id;
  assert.deepEqual([...(tie['cognito:roles'] as string[])].sort(), [ROLE_A, ROLE_B], 'each role once');
  assert.equal('cognito:preferred_role' in tie, false);

  await server.admin.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'right', RoleArn: ROLE_A }));
  const same = (await tokenClaimsFor(poolId, user)).id;
  assert.deepEqual(same['cognito:roles'], [ROLE_A]);
  assert.equal(same['cognito:preferred_role'], ROLE_A);
});

test('a null precedence ranks below any number but still gives a preferred role', async () => {
  const poolId = await newPool();
  const user = await insertUser(poolId, 'nulls');
  await createGroup(poolId, 'unranked', { RoleArn: ROLE_B });
  await addToGroup(poolId, 'nulls', 'unranked');
  assert.equal((await tokenClaimsFor(poolId, user)).id['cognito:preferred_role'], ROLE_B, 'a lone group with a role and no precedence');

  await createGroup(poolId, 'ranked', { RoleArn: ROLE_A, Precedence: 100 });
  await addToGroup(poolId, 'nulls', 'ranked');
  assert.equal((await tokenClaimsFor(poolId, user)).id['cognito:preferred_role'], ROLE_A, 'any number beats null');

  await server.admin.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: 'nulls', GroupName: 'ranked' }));
  await createGroup(poolId, 'also-unranked', { RoleArn: ROLE_A });
  await addToGroup(poolId, 'nulls', 'also-unranked');
  assert.equal(
    'cognito:preferred_role' in (await tokenClaimsFor(poolId, user)).id,
    false,
    'two null-precedence groups with different roles tie',
  );
});
