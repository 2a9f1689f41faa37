import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cognitoTrustPolicy,
  fallbackRole,
  parseRoleArn,
  policyDocumentProblem,
  roleAllows,
  trustAllowsWebIdentity,
  type EvaluatedRole,
  type PolicyKind,
} from '../../src/domain/iam-policy.js';

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: 'cognito-identity.amazonaws.com' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': 'us-east-1:pool' } },
    },
  ],
});
const INVOKE = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:us-east-1:123456789012:api/*' }],
});

test('well-formed trust and permissions policies pass', () => {
  assert.equal(policyDocumentProblem(TRUST, 'trust'), undefined);
  assert.equal(policyDocumentProblem(INVOKE, 'permissions'), undefined);
});

test("a policy that is not JSON is IAM's `This policy contains invalid Json`", () => {
  assert.equal(policyDocumentProblem('{"Version":', 'trust'), 'This policy contains invalid Json');
  assert.equal(policyDocumentProblem('{"Version":', 'permissions'), 'This policy contains invalid Json');
});

test('a trust policy with a Resource, or a permissions policy with a Principal, is refused in IAM’s words', () => {
  const withResource = JSON.parse(TRUST) as { Statement: Record<string, unknown>[] };
  withResource.Statement[0]!['Resource'] = '*';
  assert.equal(policyDocumentProblem(JSON.stringify(withResource), 'trust'), 'Has prohibited field Resource');
  assert.equal(policyDocumentProblem(TRUST, 'permissions'), 'Policy document should not specify a principal.');
  assert.equal(policyDocumentProblem(INVOKE, 'trust'), 'Has prohibited field Resource');
});

test('a statement without resources or actions, and other faults, are refused', () => {
  assert.equal(
    policyDocumentProblem('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}', 'permissions'),
    'Policy statement must contain resources.',
  );
  assert.equal(
    policyDocumentProblem('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*"}]}', 'permissions'),
    'Policy statement must contain actions.',
  );
  assert.equal(
    policyDocumentProblem('{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"s3:*","Resource":"*"}]}', 'permissions'),
    'Syntax errors in policy.',
  );
  assert.equal(policyDocumentProblem('"a string"', 'trust'), 'Syntax errors in policy.');
  assert.equal(policyDocumentProblem('{}', 'trust'), 'Syntax errors in policy.');
});

const POOL = 'us-east-1:12345678-corner-cafe-123456790ab';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/cognito/Cognito_AppAuth_Role';
const SIGNED_IN = {
  aud: POOL,
  amr: ['authenticated', 'cognito-idp.us-east-1.amazonaws.com/us-east-1_abc'],
  sub: 'us-east-1:identity-1',
};
const GUEST = { aud: POOL, amr: ['unauthenticated'], sub: 'us-east-1:identity-2' };

function roleWith(trustPolicy: string, permissions: string[] = []): EvaluatedRole {
  return { arn: ROLE_ARN, trustPolicy, permissions };
}

test("Cognito's standard trust policy for the authenticated role lets the pool's signed-in identities in, and no guest or other pool's", async () => {
  const role = roleWith(cognitoTrustPolicy(POOL, 'authenticated'));
  assert.deepEqual(await trustAllowsWebIdentity(role, SIGNED_IN), { allowed: true, result: 'Allowed' });
  assert.deepEqual(await trustAllowsWebIdentity(role, GUEST), { allowed: false, result: 'ImplicitlyDenied' });
  assert.deepEqual(await trustAllowsWebIdentity(role, { ...SIGNED_IN, aud: 'us-east-1:another-pool' }), {
    allowed: false,
    result: 'ImplicitlyDenied',
  });
});

test("the unauthenticated role's trust policy lets guests in, and not signed-in identities", async () => {
  const role = roleWith(cognitoTrustPolicy(POOL, 'unauthenticated'));
  assert.equal((await trustAllowsWebIdentity(role, GUEST)).allowed, true);
  assert.equal((await trustAllowsWebIdentity(role, SIGNED_IN)).allowed, false);
});

test('a trust policy can deny one identity by its sub, and a principal other than Cognito Identity is not trusted', async () => {
  const trust = JSON.parse(cognitoTrustPolicy(POOL)) as { Statement: unknown[] };
  trust.Statement.push({
    Effect: 'Deny',
    Principal: { Federated: 'cognito-identity.amazonaws.com' },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: { StringEquals: { 'cognito-identity.amazonaws.com:sub': 'us-east-1:identity-1' } },
  });
  const role = roleWith(JSON.stringify(trust));
  assert.deepEqual(await trustAllowsWebIdentity(role, SIGNED_IN), { allowed: false, result: 'ExplicitlyDenied' });
  assert.equal((await trustAllowsWebIdentity(role, GUEST)).allowed, true);
  // Remembered decisions still tell identities apart when the policy reads `sub`, in any case.
  const shouting = roleWith(JSON.stringify(trust).replace('cognito-identity.amazonaws.com:sub', 'COGNITO-IDENTITY.AMAZONAWS.COM:SUB'));
  assert.equal((await trustAllowsWebIdentity(shouting, { ...SIGNED_IN, sub: 'us-east-1:identity-9' })).allowed, true);
  assert.equal((await trustAllowsWebIdentity(shouting, SIGNED_IN)).allowed, false);
  const google = roleWith(cognitoTrustPolicy(POOL).replace('cognito-identity.amazonaws.com"}', 'accounts.google.com"}'));
  assert.equal((await trustAllowsWebIdentity(google, SIGNED_IN)).allowed, false);
});

test('a role ARN no role covers falls back to the standard trust of the asking pool, for any of its identities, with no permissions', async () => {
  const role = fallbackRole('arn:aws:iam::123456789012:role/Undefined', POOL)!;
  assert.equal((await trustAllowsWebIdentity(role, SIGNED_IN)).allowed, true);
  assert.equal((await trustAllowsWebIdentity(role, GUEST)).allowed, true);
  assert.equal((await trustAllowsWebIdentity(role, { ...GUEST, aud: 'us-east-1:another-pool' })).allowed, false);
  assert.deepEqual(
    await roleAllows(role, { action: 'execute-api:Invoke', resource: 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets' }),
    { allowed: false, result: 'ImplicitlyDenied' },
  );
  const guestsOnly = fallbackRole('arn:aws:iam::123456789012:role/UndefinedGuest', POOL, 'unauthenticated')!;
  assert.equal((await trustAllowsWebIdentity(guestsOnly, GUEST)).allowed, true);
  assert.equal((await trustAllowsWebIdentity(guestsOnly, SIGNED_IN)).allowed, false);
  assert.equal(fallbackRole('arn:aws:iam::123456789012:user/alice', POOL), undefined);
  assert.equal(fallbackRole('not-an-arn', POOL), undefined);
});

test("a role's permissions allow execute-api:Invoke on the APIs they name, and an explicit Deny in any of them wins", async () => {
  const invoke = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:us-east-1:123456789012:abc123/*' }],
  });
  const denyDelete = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:us-east-1:123456789012:abc123/*/DELETE/*' }],
  });
  const role = roleWith(cognitoTrustPolicy(POOL), [invoke, denyDelete]);
  const api = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod';
  assert.deepEqual(
    await roleAllows(role, { action: 'execute-api:Invoke', resource: `${api}/GET/pets`, sessionName: 'CognitoIdentityCredentials' }),
    {
      allowed: true,
      result: 'Allowed',
    },
  );
  assert.deepEqual(await roleAllows(role, { action: 'execute-api:Invoke', resource: `${api}/DELETE/pets/1` }), {
    allowed: false,
    result: 'ExplicitlyDenied',
  });
  assert.deepEqual(
    await roleAllows(role, { action: 'execute-api:Invoke', resource: 'arn:aws:execute-api:us-east-1:123456789012:other9/prod/GET/pets' }),
    { allowed: false, result: 'ImplicitlyDenied' },
  );
});

test("a policy's conditions read the request context", async () => {
  const fromOffice = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } },
    ],
  });
  const role = roleWith(cognitoTrustPolicy(POOL), [fromOffice]);
  const resource = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets';
  assert.equal(
    (await roleAllows(role, { action: 'execute-api:Invoke', resource, context: { 'aws:SourceIp': '203.0.113.9' } })).allowed,
    true,
  );
  assert.equal(
    (await roleAllows(role, { action: 'execute-api:Invoke', resource, context: { 'aws:SourceIp': '198.51.100.1' } })).allowed,
    false,
  );
});

test('a request IAM could not judge is Invalid, never allowed', async () => {
  const role = roleWith(cognitoTrustPolicy(POOL), [
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
  ]);
  const decision = await roleAllows(role, {
    action: 'DoThing',
    resource: 'arn:aws:nosuchservice:us-east-1:123456789012:thing/1',
  });
  assert.equal(decision.allowed, false);
  assert.equal(decision.result, 'Invalid');
  assert.equal((await roleAllows(role, { action: 's3:GetObject', resource: 'bucket/key' })).result, 'Invalid');
  assert.deepEqual(await trustAllowsWebIdentity({ ...role, arn: 'arn:aws:iam::123456789012:user/alice' }, SIGNED_IN), {
    allowed: false,
    result: 'Invalid',
    errors: ['arn:aws:iam::123456789012:user/alice is not a role ARN'],
  });
});

test('role ARNs are read for their account and name, with or without a path', () => {
  assert.deepEqual(parseRoleArn(ROLE_ARN), { accountId: '123456789012', name: 'Cognito_AppAuth_Role' });
  assert.deepEqual(parseRoleArn('arn:aws:iam::000000000000:role/app'), { accountId: '000000000000', name: 'app' });
  assert.equal(parseRoleArn('arn:aws:iam::000000000000:policy/app'), undefined);
});

test('IAM’s grammar: statements as an object or array, Version, fields, principals, actions and conditions', () => {
  const statement = { Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::bucket/*'] };
  assert.equal(policyDocumentProblem(JSON.stringify({ Version: '2012-10-17', Statement: statement }), 'permissions'), undefined);
  assert.equal(policyDocumentProblem(JSON.stringify({ Statement: [statement] }), 'permissions'), undefined);
  const faults: [unknown, PolicyKind, string][] = [
    [{ Version: '2020-01-01', Statement: [statement] }, 'permissions', 'Syntax errors in policy.'],
    [{ Version: '2012-10-17', Statement: [] }, 'permissions', 'Syntax errors in policy.'],
    [{ Version: '2012-10-17', Statement: [statement], Extra: 1 }, 'permissions', 'Syntax errors in policy.'],
    [{ Statement: [{ ...statement, Color: 'red' }] }, 'permissions', 'Syntax errors in policy.'],
    [{ Statement: [{ ...statement, NotAction: 's3:PutObject' }] }, 'permissions', 'Syntax errors in policy.'],
    [
      { Statement: [{ ...statement, Action: 'GetObject' }] },
      'permissions',
      'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
    ],
    [{ Statement: [{ ...statement, Action: [] }] }, 'permissions', 'Syntax errors in policy.'],
    [{ Statement: [{ ...statement, Condition: { StringSortOf: { 'aws:SourceIp': 'x' } } }] }, 'permissions', 'Syntax errors in policy.'],
    [
      { Statement: [{ ...statement, Condition: { StringEquals: { 'aws:SourceIp': { nested: 1 } } } }] },
      'permissions',
      'Syntax errors in policy.',
    ],
    [{ Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] }, 'trust', 'Missing required field Principal'],
    [{ Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Robot: 'x' } }] }, 'trust', 'Syntax errors in policy.'],
  ];
  for (const [policy, kind, message] of faults)
    assert.equal(policyDocumentProblem(JSON.stringify(policy), kind), message, JSON.stringify(policy));
  assert.equal(
    policyDocumentProblem(JSON.stringify({ Statement: { Effect: 'Deny', Principal: '*', NotAction: 'sts:TagSession' } }), 'trust'),
    undefined,
  );
});

test('NotAction, NotResource, NotPrincipal and wildcard ARNs decide as IAM does', async () => {
  const policy = (statements: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
  const api = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets';
  const everyApi = roleWith(TRUST, [policy([{ Effect: 'Allow', Action: 'EXECUTE-API:*', Resource: 'arn:aws:execute-api:*:*:*/prod/*' }])]);
  assert.equal((await roleAllows(everyApi, { action: 'execute-api:Invoke', resource: api })).allowed, true);
  assert.equal((await roleAllows(everyApi, { action: 'execute-api:Invoke', resource: api.replace('/prod/', '/test/') })).allowed, false);
  const allButS3 = roleWith(TRUST, [
    policy([
      { Effect: 'Allow', NotAction: 's3:*', Resource: '*' },
      { Effect: 'Deny', Action: '*', NotResource: 'arn:aws:execute-api:us-east-1:123456789012:abc123/*' },
    ]),
  ]);
  assert.equal((await roleAllows(allButS3, { action: 'execute-api:Invoke', resource: api })).result, 'Allowed');
  assert.equal((await roleAllows(allButS3, { action: 's3:GetObject', resource: 'arn:aws:s3:::abc123/x' })).result, 'ExplicitlyDenied');
  assert.equal(
    (
      await roleAllows(allButS3, {
        action: 'execute-api:Invoke',
        resource: 'arn:aws:execute-api:us-east-1:123456789012:other9/prod/GET/pets',
      })
    ).result,
    'ExplicitlyDenied',
  );
  const anyoneButCognito = roleWith(
    JSON.stringify({
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRoleWithWebIdentity' },
        { Effect: 'Deny', NotPrincipal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:*' },
      ],
    }),
  );
  assert.deepEqual(await trustAllowsWebIdentity(anyoneButCognito, GUEST), { allowed: true, result: 'Allowed' });
  const conditionsPerKey = JSON.parse(cognitoTrustPolicy(POOL)) as { Statement: { Condition: { StringEquals: Record<string, string> } }[] };
  conditionsPerKey.Statement[0]!.Condition.StringEquals['cognito-identity.amazonaws.com:sub'] = 'us-east-1:identity-2';
  const onlyIdentity2 = roleWith(JSON.stringify(conditionsPerKey));
  assert.equal((await trustAllowsWebIdentity(onlyIdentity2, GUEST)).allowed, true);
  assert.equal((await trustAllowsWebIdentity(onlyIdentity2, SIGNED_IN)).allowed, false, 'every key of an operator must hold');
});

test('a Resource with a policy variable gives each identity its own prefix, as Cognito’s per-identity S3 policies do', async () => {
  const ownPrefix = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/private/${cognito-identity.amazonaws.com:sub}/*' },
    ],
  });
  const role = roleWith(cognitoTrustPolicy(POOL), [ownPrefix]);
  const context = { 'cognito-identity.amazonaws.com:sub': SIGNED_IN.sub };
  assert.equal(
    (await roleAllows(role, { action: 's3:GetObject', resource: `arn:aws:s3:::bucket/private/${SIGNED_IN.sub}/a.png`, context })).allowed,
    true,
  );
  assert.equal(
    (await roleAllows(role, { action: 's3:GetObject', resource: `arn:aws:s3:::bucket/private/${GUEST.sub}/a.png`, context })).allowed,
    false,
  );
  assert.equal(
    (await roleAllows(role, { action: 's3:GetObject', resource: `arn:aws:s3:::bucket/private/${SIGNED_IN.sub}/a.png` })).allowed,
    false,
  );
});

test("a session's principal tags are aws:PrincipalTag/<key> to conditions and policy variables", async () => {
  const byTeam = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'execute-api:Invoke',
        Resource: 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/teams/${aws:PrincipalTag/team}',
        Condition: { StringEquals: { 'aws:PrincipalTag/tier': 'gold' } },
      },
    ],
  });
  const role = roleWith(cognitoTrustPolicy(POOL), [byTeam]);
  const teams = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/teams';
  const gold = { team: 'blue', tier: 'gold' };
  assert.equal((await roleAllows(role, { action: 'execute-api:Invoke', resource: `${teams}/blue`, principalTags: gold })).allowed, true);
  assert.equal((await roleAllows(role, { action: 'execute-api:Invoke', resource: `${teams}/red`, principalTags: gold })).allowed, false);
  assert.equal(
    (await roleAllows(role, { action: 'execute-api:Invoke', resource: `${teams}/blue`, principalTags: { team: 'blue', tier: 'silver' } }))
      .allowed,
    false,
  );
  assert.equal((await roleAllows(role, { action: 'execute-api:Invoke', resource: `${teams}/blue` })).allowed, false);
});
