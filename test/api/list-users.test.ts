import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolCommand,
  ListUsersCommand,
  type ListUsersCommandInput,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, captureError, type TestServer } from '../support/server.js';

let server: TestServer;
let poolId: string;
const subs: Record<string, string> = {};

const PEOPLE: Record<string, Record<string, string>> = {
  alice: {
    email: 'alice@example.com',
    name: 'Alice Anders',
    given_name: 'Alice',
    family_name: 'Anders',
    preferred_username: 'ali',
    phone_number: '+15550000001',
  },
  albert: {
    email: 'albert@example.org',
    name: 'Albert Brown',
    given_name: 'Albert',
    family_name: 'Brown',
    preferred_username: 'bert',
    phone_number: '+15550000002',
  },
  bob: {
    email: 'bob@example.com',
    name: 'Bob Anderson',
    given_name: 'Bob',
    family_name: 'Anderson',
    preferred_username: 'bobby',
    phone_number: '+15550000003',
  },
  carol: {
    email: 'Carol@Example.com',
    name: 'Carol Clark',
    given_name: 'Carol',
    family_name: 'Clark',
    preferred_username: 'caro',
    phone_number: '+442000000004',
  },
  dave: { email: 'dave@example.net' },
};

async function createUser(pool: string, username: string, attributes: Record<string, string>): Promise<UserType> {
  const created = await server.admin.send(
    new AdminCreateUserCommand({
      UserPoolId: pool,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  return created.User!;
}

before(async () => {
  server = await startTestServer();
  const created = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'list-users' }));
  poolId = created.UserPool!.Id!;
  for (const [username, attributes] of Object.entries(PEOPLE)) {
    const user = await createUser(poolId, username, attributes);
    subs[username] = user.Attributes!.find((a) => a.Name === 'sub')!.Value!;
  }
  await server.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'bob', Password: 'Passw0rd!', Permanent: true }));
  await server.admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'dave' }));
});
after(() => server.stop());

async function list(input: Partial<ListUsersCommandInput> = {}) {
  return server.admin.send(new ListUsersCommand({ UserPoolId: poolId, ...input }));
}

async function usernames(filter: string): Promise<string[]> {
  const result = await list({ Filter: filter });
  return result.Users!.map((u) => u.Username!);
}

test('lists every user as UserType with `Attributes` and Date timestamps', async () => {
  const result = await list();
  assert.equal(result.Users!.length, 5);
  assert.equal(result.PaginationToken, undefined);
  const alice = result.Users!.find((u) => u.Username === 'alice')!;
  assert.ok(alice.UserCreateDate instanceof Date);
  assert.ok(alice.UserLastModifiedDate instanceof Date);
  assert.equal(alice.Enabled, true);
  assert.equal(alice.UserStatus, 'FORCE_CHANGE_PASSWORD');
  const attributes = Object.fromEntries(alice.Attributes!.map((a) => [a.Name, a.Value]));
  assert.equal(attributes['email'], 'alice@example.com');
  assert.equal(attributes['sub'], subs['alice']);
  assert.equal((alice as unknown as { UserAttributes?: unknown }).UserAttributes, undefined);
});

test('filters on username, case-sensitively in a case-sensitive pool', async () => {
  assert.deepEqual(await usernames('username = "bob"'), ['bob']);
  assert.deepEqual(await usernames('username ^= "al"'), ['albert', 'alice']);
  assert.deepEqual(await usernames('username = "Bob"'), []);
});

test('filters on email, case-insensitively, sorted by email', async () => {
  assert.deepEqual(await usernames('email = "carol@example.com"'), ['carol']);
  assert.deepEqual(await usernames('email ^= "AL"'), ['albert', 'alice']);
  assert.deepEqual(await usernames('email="bob@example.com"'), ['bob']);
});

test('filters on name, given_name and family_name', async () => {
  assert.deepEqual(await usernames('name = "bob anderson"'), ['bob']);
  assert.deepEqual(await usernames('name ^= "al"'), ['albert', 'alice']);
  assert.deepEqual(await usernames('given_name = "Alice"'), ['alice']);
  assert.deepEqual(await usernames('given_name ^= "Al"'), ['albert', 'alice']);
  assert.deepEqual(await usernames('family_name = "clark"'), ['carol']);
  assert.deepEqual(await usernames('family_name ^= "Anders"'), ['alice', 'bob']);
});

test('filters on preferred_username, phone_number and sub', async () => {
  assert.deepEqual(await usernames('preferred_username = "bobby"'), ['bob']);
  assert.deepEqual(await usernames('preferred_username ^= "b"'), ['albert', 'bob']);
  assert.deepEqual(await usernames('phone_number = "+15550000003"'), ['bob']);
  assert.deepEqual(await usernames('phone_number ^= "+1555"'), ['alice', 'albert', 'bob']);
  assert.deepEqual(await usernames(`sub = "${subs['dave']}"`), ['dave']);
  assert.ok((await usernames(`sub ^= "${subs['dave']!.slice(0, 8)}"`)).includes('dave'));
});

test('filters on cognito:user_status (case-insensitive) and status (case-sensitive)', async () => {
  assert.deepEqual(await usernames('cognito:user_status = "CONFIRMED"'), ['bob']);
  assert.deepEqual(await usernames('cognito:user_status = "confirmed"'), ['bob']);
  assert.deepEqual(await usernames('cognito:user_status ^= "force"'), ['albert', 'alice', 'carol', 'dave']);
  assert.deepEqual(await usernames('status = "Disabled"'), ['dave']);
  assert.deepEqual(await usernames('status ^= "En"'), ['albert', 'alice', 'bob', 'carol']);
  assert.deepEqual(await usernames('status = "disabled"'), []);
});

test('a malformed filter and a non-searchable attribute are InvalidParameterException', async () => {
  const malformed = await captureError(() => list({ Filter: 'email = alice' }));
  assert.equal(malformed.name, 'InvalidParameterException');
  assert.equal(malformed.message, 'Error while parsing filter.');
  const custom = await captureError(() => list({ Filter: 'nickname = "x"' }));
  assert.equal(custom.name, 'InvalidParameterException');
  assert.equal(custom.message, 'Invalid search attribute: nickname');
});

test('AttributesToGet returns only the attributes named', async () => {
  const result = await list({ Filter: 'username ^= "al"', AttributesToGet: ['email', 'given_name'] });
  for (const user of result.Users!) {
    assert.deepEqual(user.Attributes!.map((a) => a.Name).sort(), ['email', 'given_name']);
  }
  // Searchable attributes may be missing on some users.
  const names = await list({ AttributesToGet: ['given_name'] });
  assert.equal(names.Users!.find((u) => u.Username === 'dave')!.Attributes!.length, 0);
  // An empty list returns users without attributes.
  const none = await list({ Filter: 'username = "bob"', AttributesToGet: [] });
  assert.deepEqual(none.Users![0]!.Attributes, []);
});

test('AttributesToGet naming an attribute outside the schema, or unset on a returned user, is InvalidParameterException', async () => {
  const unknown = await captureError(() => list({ AttributesToGet: ['shoe_size'] }));
  assert.equal(unknown.name, 'InvalidParameterException');
  assert.equal(unknown.message, 'One or more requested attributes do not exist.');
  const unset = await captureError(() => list({ AttributesToGet: ['nickname'] }));
  assert.equal(unset.name, 'InvalidParameterException');
  assert.equal(unset.message, 'One or more requested attributes do not exist.');
});

test('pages of two across five users, with a PaginationToken until the last page', async () => {
  const seen: string[] = [];
  const sizes: number[] = [];
  let token: string | undefined;
  do {
    const page = await list({ Limit: 2, ...(token ? { PaginationToken: token } : {}) });
    sizes.push(page.Users!.length);
    seen.push(...page.Users!.map((u) => u.Username!));
    token = page.PaginationToken;
  } while (token);
  assert.deepEqual(sizes, [2, 2, 1]);
  assert.deepEqual(seen, ['albert', 'alice', 'bob', 'carol', 'dave']);

  const filtered = await list({ Limit: 2, Filter: 'cognito:user_status ^= "FORCE"' });
  assert.deepEqual(
    filtered.Users!.map((u) => u.Username),
    ['albert', 'alice'],
  );
  assert.ok(filtered.PaginationToken);
  const next = await list({ Limit: 2, Filter: 'cognito:user_status ^= "FORCE"', PaginationToken: filtered.PaginationToken });
  assert.deepEqual(
    next.Users!.map((u) => u.Username),
    ['carol', 'dave'],
  );
  assert.equal(next.PaginationToken, undefined);
});

test('a malformed PaginationToken, or one from another filter, is InvalidParameterException', async () => {
  const garbage = await captureError(() => list({ PaginationToken: 'garbage' }));
  assert.equal(garbage.name, 'InvalidParameterException');
  assert.match(garbage.message, /^Paging marker garbage is invalid for request \S+$/);

  const first = await list({ Limit: 2 });
  const other = await captureError(() => list({ Limit: 2, Filter: 'username ^= "a"', PaginationToken: first.PaginationToken }));
  assert.equal(other.name, 'InvalidParameterException');
  assert.match(other.message, /^Paging marker .+ is invalid for request /);
});

test('a Limit over 60 is the model validation error', async () => {
  const error = await captureError(() => list({ Limit: 61 }));
  assert.equal(error.name, 'InvalidParameterException');
  assert.equal(
    error.message,
    "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60",
  );
});

test('an unknown pool is ResourceNotFoundException', async () => {
  const error = await captureError(() => server.admin.send(new ListUsersCommand({ UserPoolId: 'us-east-1_missing01' })));
  assert.equal(error.name, 'ResourceNotFoundException');
  assert.equal(error.message, 'User pool us-east-1_missing01 does not exist.');
});

test('in a pool with case-insensitive usernames the username filter ignores case', async () => {
  const created = await server.admin.send(
    new CreateUserPoolCommand({ PoolName: 'case-insensitive', UsernameConfiguration: { CaseSensitive: false } }),
  );
  const pool = created.UserPool!.Id!;
  const user = await createUser(pool, 'MixedCase', {});
  assert.equal(user.Username, 'MixedCase');
  const result = await server.admin.send(new ListUsersCommand({ UserPoolId: pool, Filter: 'username = "mixedcase"' }));
  assert.deepEqual(
    result.Users!.map((u) => u.Username),
    ['MixedCase'],
  );
  const prefix = await server.admin.send(new ListUsersCommand({ UserPoolId: pool, Filter: 'username ^= "MIX"' }));
  assert.deepEqual(
    prefix.Users!.map((u) => u.Username),
    ['MixedCase'],
  );
});
