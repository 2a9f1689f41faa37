import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdminAddUserToGroupCommand, CreateGroupCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { serverForTests, type TestServer } from '../support/server.js';
import { PASSWORD, createClient, createPool, decodePayload, putUser } from '../api/auth-fixtures.js';

// cognito:roles lists the roles of the user's groups; cognito:preferred_role is the role of the
// group with the lowest Precedence among those with a role, omitted on a tie between roles.
// https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-user-groups.html

let server: TestServer;
serverForTests((s) => (server = s));

const ADMINS = 'arn:aws:iam::123456789012:role/admins';
const OPS = 'arn:aws:iam::123456789012:role/ops';

interface GroupSpec {
  name: string;
  roleArn?: string;
  precedence: number;
}

/** The ID token of a user signed in as a member of `groups`. */
async function idTokenInGroups(groups: GroupSpec[]): Promise<Record<string, unknown>> {
  const poolId = await createPool(server);
  const { clientId } = await createClient(server, poolId);
  await putUser(server, poolId, { username: 'member' });
  for (const g of groups) {
    await server.admin.send(
      new CreateGroupCommand({
        UserPoolId: poolId,
        GroupName: g.name,
        Precedence: g.precedence,
        ...(g.roleArn ? { RoleArn: g.roleArn } : {}),
      }),
    );
    await server.admin.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'member', GroupName: g.name }));
  }
  const response = await server.anonymous.send(
    new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'member', PASSWORD } }),
  );
  return decodePayload(response.AuthenticationResult!.IdToken!);
}

test('roles are listed once each and the preferred role is that of the lowest precedence among groups with a role', async () => {
  const id = await idTokenInGroups([
    { name: 'a-admins', roleArn: ADMINS, precedence: 5 },
    { name: 'b-viewers', precedence: 0 },
    { name: 'c-ops', roleArn: OPS, precedence: 3 },
    { name: 'd-more-admins', roleArn: ADMINS, precedence: 9 },
  ]);
  assert.deepEqual(id['cognito:groups'], ['a-admins', 'b-viewers', 'c-ops', 'd-more-admins']);
  assert.deepEqual(id['cognito:roles'], [ADMINS, OPS]);
  assert.equal(id['cognito:preferred_role'], OPS);
});

test('a tie at the lowest precedence between different roles gives no preferred role', async () => {
  const id = await idTokenInGroups([
    { name: 'admins', roleArn: ADMINS, precedence: 1 },
    { name: 'ops', roleArn: OPS, precedence: 1 },
  ]);
  assert.deepEqual(id['cognito:roles'], [ADMINS, OPS]);
  assert.equal('cognito:preferred_role' in id, false);
});

test('groups without roles give cognito:groups but neither cognito:roles nor cognito:preferred_role', async () => {
  const id = await idTokenInGroups([{ name: 'viewers', precedence: 1 }]);
  assert.deepEqual(id['cognito:groups'], ['viewers']);
  assert.equal('cognito:roles' in id, false);
  assert.equal('cognito:preferred_role' in id, false);
});

test('cognito:groups is in alphabetical order whatever the case of the names, on either engine', async () => {
  // SQLite orders names by their bytes (upper case first), PostgreSQL by its collation: the token
  // is sorted by the code, so both engines give the same claim.
  const id = await idTokenInGroups([
    { name: 'Gamma', precedence: 1 },
    { name: 'alpha', precedence: 2 },
    { name: 'Beta', precedence: 3 },
  ]);
  assert.deepEqual(id['cognito:groups'], ['alpha', 'Beta', 'Gamma']);
});
