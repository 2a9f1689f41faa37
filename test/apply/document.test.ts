import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentError, parseApplyDocument } from '../../src/apply/document.js';

/** The problems a document is refused with. */
function problemsOf(text: string, fileName = 'setup.yaml'): readonly string[] {
  try {
    parseApplyDocument(text, fileName);
  } catch (error) {
    assert.ok(error instanceof DocumentError, String(error));
    return error.problems;
  }
  assert.fail('the document was accepted');
}

test('a JSON document gets lines and paths as YAML does', () => {
  const json = JSON.stringify({ UserPools: [{ PoolName: 'p', Clients: [{ ClientName: 'c', RefreshTokenValidity: 'long' }] }] }, null, 2);
  assert.deepEqual(problemsOf(json, 'setup.json'), [
    'setup.json:8: UserPools[0].Clients[0].RefreshTokenValidity: wrong type: class java.lang.String can not be converted to an Integer',
  ]);
});

test('unknown members are found at any depth, with the shape they do not belong to', () => {
  const problems = problemsOf(`UserPools:
  - PoolName: p
    AdminCreateUserConfig:
      InviteMessageTemplate:
        SMSMesage: hi
`);
  assert.deepEqual(problems, [
    'setup.yaml:5: UserPools[0].AdminCreateUserConfig.InviteMessageTemplate.SMSMesage: unknown member of MessageTemplateType',
  ]);
});

test('list items of structures are reported at their index, and a missing required member at its parent', () => {
  const problems = problemsOf(`UserPools:
  - PoolName: p
    Schema:
      - {Name: tenant, AttributeDataType: Text}
    ResourceServers:
      - {Identifier: api}
`);
  assert.ok(
    problems.some((p) => /^setup\.yaml:4: UserPools\[0\]\.Schema\[0\]\.AttributeDataType: Member must satisfy enum value set/.test(p)),
    problems.join('\n'),
  );
  assert.ok(problems.includes('setup.yaml:6: UserPools[0].ResourceServers[0].Name: Member must not be null'), problems.join('\n'));
});

test("a user's attributes are checked as AdminCreateUser's and reported under Attributes", () => {
  const problems = problemsOf(`UserPools:
  - PoolName: p
    Users:
      - Username: u
        Password: 12345678
        Attributes: {email: a@example.com, "${'x'.repeat(40)}": v}
        Colour: blue
`);
  assert.ok(
    problems.some((p) =>
      p.startsWith(`setup.yaml:6: UserPools[0].Users[0].Attributes.${'x'.repeat(40)}: Member must have length less than or equal to 32`),
    ),
    problems.join('\n'),
  );
  assert.ok(
    problems.some((p) => p.startsWith('setup.yaml:5: UserPools[0].Users[0].Password: wrong type: ')),
    problems.join('\n'),
  );
  assert.ok(
    problems.some((p) => p.startsWith('setup.yaml:7: UserPools[0].Users[0].Colour: unknown member of a user')),
    problems.join('\n'),
  );
});

test('names declared twice and a malformed fixed client ID are errors', () => {
  const problems = problemsOf(`UserPools:
  - PoolName: p
    Clients:
      - {ClientName: web, ClientId: ABC}
    Groups: [{GroupName: g}, {GroupName: g}]
  - PoolName: p
`);
  assert.deepEqual(problems, [
    'setup.yaml:4: UserPools[0].Clients[0].ClientId: a fixed client ID is 26 lowercase letters and digits, as Cognito generates',
    "setup.yaml:5: UserPools[0].Groups[1].GroupName: 'g' is declared twice (also at UserPools[0].Groups[0])",
    "setup.yaml:6: UserPools[1].PoolName: 'p' is declared twice (also at UserPools[0])",
  ]);
});

test('a well-formed document reads into its resources', () => {
  const document = parseApplyDocument(
    `UserPools:
  - PoolName: p
    Clients: [{ClientName: web, ClientId: abcdefghijklmnopqrstuvwxyz}]
    Groups: [{GroupName: g}]
    Users: [{Username: u, Password: Passw0rd!, Attributes: {email: u@example.com}, Groups: [g]}]
`,
    'setup.yaml',
  );
  const [pool] = document.pools;
  assert.equal(pool?.settings.PoolName, 'p');
  assert.equal(pool?.clients[0]?.clientId, 'abcdefghijklmnopqrstuvwxyz');
  assert.deepEqual(pool?.clients[0]?.settings, { ClientName: 'web' });
  assert.deepEqual(pool?.users[0], {
    path: ['UserPools', 0, 'Users', 0],
    username: 'u',
    password: 'Passw0rd!',
    attributes: { email: 'u@example.com' },
    groups: ['g'],
  });
});

test("an identity pool's references name a declared pool and client, and its members and roles are checked as Cognito Identity's", () => {
  const problems = problemsOf(`UserPools:
  - PoolName: p
    Clients: [{ClientName: web}]
    Domains: [{Domain: Not_A_Prefix}]
IdentityPools:
  - IdentityPoolName: ids
    AllowUnauthenticatedIdentities: false
    CognitoIdentityProviders:
      - {UserPool: q, Client: web}
      - {UserPool: p, Client: mobile}
      - {UserPool: p, Client: web, ClientId: abc}
    Roles: {authenticated: 7}
    Colour: blue
`);
  assert.deepEqual(problems, [
    'setup.yaml:4: UserPools[0].Domains[0].Domain: Member must satisfy regular expression pattern: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$',
    "setup.yaml:9: IdentityPools[0].CognitoIdentityProviders[0].UserPool: user pool 'q' is not declared in this document's UserPools",
    "setup.yaml:10: IdentityPools[0].CognitoIdentityProviders[1].Client: client 'mobile' is not declared in user pool 'p'",
    'setup.yaml:11: IdentityPools[0].CognitoIdentityProviders[2].ClientId: give either UserPool and Client or ClientId, not both',
    'setup.yaml:13: IdentityPools[0].Colour: unknown member of CreateIdentityPoolInput',
    'setup.yaml:12: IdentityPools[0].Roles.authenticated: wrong type: class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String',
  ]);
});
