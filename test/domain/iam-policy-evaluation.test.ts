import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cognitoTrustPolicy, parseRoleArn, roleAllows, trustAllowsWebIdentity, type EvaluatedRole } from '../../src/domain/iam-policy.js';

/*
 * IAM's evaluation logic as its user guide states it, case by case, as the oracle for the evaluator
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html and
 * the pages of each element): an explicit Deny wins, else an Allow allows, else the request is
 * implicitly denied; a statement applies only when its action, resource, principal and conditions
 * all match; Not* elements match everything but what they list.
 */

const ROLE = 'arn:aws:iam::123456789012:role/app/Reader';
const POOL = 'us-east-1:11111111-2222-4333-8444-555555555555';
const OBJECT = 'arn:aws:s3:::photos/private/a.png';
const API = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets';

type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied' | 'Invalid';

function policy(...statements: Record<string, unknown>[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

function role(permissions: string[], trustPolicy = cognitoTrustPolicy(POOL)): EvaluatedRole {
  return { arn: ROLE, trustPolicy, permissions };
}

const allow = (action: unknown, resource: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  Effect: 'Allow',
  Action: action,
  Resource: resource,
  ...extra,
});
const deny = (action: unknown, resource: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  Effect: 'Deny',
  Action: action,
  Resource: resource,
  ...extra,
});

/** [what IAM documents, the role's permissions policies, the action, the resource, the decision]. */
const PERMISSION_CASES: [string, string[], string, string, Decision][] = [
  ['no policy at all is an implicit deny', [], 's3:GetObject', OBJECT, 'ImplicitlyDenied'],
  ['an Allow of the action on the resource allows', [policy(allow('s3:GetObject', OBJECT))], 's3:GetObject', OBJECT, 'Allowed'],
  ['an Allow of another action does not', [policy(allow('s3:PutObject', OBJECT))], 's3:GetObject', OBJECT, 'ImplicitlyDenied'],
  ['an Allow on another resource does not', [policy(allow('s3:GetObject', `${OBJECT}x`))], 's3:GetObject', OBJECT, 'ImplicitlyDenied'],
  [
    'an explicit Deny wins over an Allow in the same policy',
    [policy(allow('s3:*', '*'), deny('s3:GetObject', OBJECT))],
    's3:GetObject',
    OBJECT,
    'ExplicitlyDenied',
  ],
  [
    'an explicit Deny wins whichever policy holds it, listed first or last',
    [policy(deny('s3:GetObject', '*')), policy(allow('s3:GetObject', OBJECT))],
    's3:GetObject',
    OBJECT,
    'ExplicitlyDenied',
  ],
  [
    'a Deny that does not apply leaves the Allow',
    [policy(allow('s3:GetObject', OBJECT)), policy(deny('s3:DeleteObject', OBJECT))],
    's3:GetObject',
    OBJECT,
    'Allowed',
  ],
  [
    'an Allow in a second policy allows: policies are a union',
    [policy(allow('s3:PutObject', OBJECT)), policy(allow('s3:GetObject', OBJECT))],
    's3:GetObject',
    OBJECT,
    'Allowed',
  ],
  ['a Deny alone is an explicit deny', [policy(deny('s3:GetObject', OBJECT))], 's3:GetObject', OBJECT, 'ExplicitlyDenied'],
  ['the action is matched whatever its case', [policy(allow('S3:getobject', OBJECT))], 's3:GetObject', OBJECT, 'Allowed'],
  [
    'the resource is matched with its case',
    [policy(allow('s3:GetObject', OBJECT.toUpperCase()))],
    's3:GetObject',
    OBJECT,
    'ImplicitlyDenied',
  ],
  ['one of a list of actions suffices', [policy(allow(['s3:PutObject', 's3:GetObject'], OBJECT))], 's3:GetObject', OBJECT, 'Allowed'],
  [
    'one of a list of resources suffices',
    [policy(allow('s3:GetObject', ['arn:aws:s3:::other/*', OBJECT]))],
    's3:GetObject',
    OBJECT,
    'Allowed',
  ],
  ['a wildcard action covers the service', [policy(allow('s3:Get*', OBJECT))], 's3:GetObject', OBJECT, 'Allowed'],
  ['a wildcard action does not cross services', [policy(allow('s3:*', OBJECT))], 'sqs:GetObject', OBJECT, 'ImplicitlyDenied'],
  ['`*` alone is every resource', [policy(allow('s3:GetObject', '*'))], 's3:GetObject', OBJECT, 'Allowed'],
  [
    'NotAction allows every action but those listed',
    [policy({ Effect: 'Allow', NotAction: 's3:DeleteObject', Resource: '*' })],
    's3:GetObject',
    OBJECT,
    'Allowed',
  ],
  [
    'NotAction does not allow the actions listed',
    [policy({ Effect: 'Allow', NotAction: ['s3:Delete*', 's3:GetObject'], Resource: '*' })],
    's3:GetObject',
    OBJECT,
    'ImplicitlyDenied',
  ],
  [
    'NotResource allows every resource but those listed',
    [policy({ Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secrets/*' })],
    's3:GetObject',
    OBJECT,
    'Allowed',
  ],
  [
    'NotResource does not allow the resources listed',
    [policy({ Effect: 'Allow', Action: 's3:GetObject', NotResource: ['arn:aws:s3:::secrets/*', 'arn:aws:s3:::photos/*'] })],
    's3:GetObject',
    OBJECT,
    'ImplicitlyDenied',
  ],
  [
    'a Deny with NotResource denies everything outside what it lists',
    [policy(allow('*', '*'), { Effect: 'Deny', Action: '*', NotResource: 'arn:aws:s3:::public/*' })],
    's3:GetObject',
    OBJECT,
    'ExplicitlyDenied',
  ],
  [
    'a Deny with NotAction denies every other action',
    [policy(allow('*', '*'), { Effect: 'Deny', NotAction: 's3:List*', Resource: '*' })],
    's3:GetObject',
    OBJECT,
    'ExplicitlyDenied',
  ],
  [
    'a statement applies only when its condition holds',
    [policy(allow('s3:GetObject', OBJECT, { Condition: { Bool: { 'aws:SecureTransport': 'true' } } }))],
    's3:GetObject',
    OBJECT,
    'ImplicitlyDenied',
  ],
  [
    'a Deny whose condition does not hold does not deny',
    [policy(allow('s3:GetObject', OBJECT), deny('s3:GetObject', OBJECT, { Condition: { Bool: { 'aws:SecureTransport': 'true' } } }))],
    's3:GetObject',
    OBJECT,
    'Allowed',
  ],
  [
    'a statement given as an object, not an array, is read',
    [JSON.stringify({ Version: '2012-10-17', Statement: allow('s3:GetObject', OBJECT) })],
    's3:GetObject',
    OBJECT,
    'Allowed',
  ],
  [
    'a statement with an Effect that is neither Allow nor Deny does nothing',
    [policy({ Effect: 'allow', Action: 's3:GetObject', Resource: OBJECT })],
    's3:GetObject',
    OBJECT,
    'ImplicitlyDenied',
  ],
  [
    'a resource ARN in a policy is matched part by part',
    [policy(allow('execute-api:Invoke', 'arn:aws:execute-api:*:*:abc123/*'))],
    'execute-api:Invoke',
    API,
    'Allowed',
  ],
  [
    'a wildcard in one part of an ARN does not span the colons',
    [policy(allow('execute-api:Invoke', 'arn:aws:execute-api:*:abc123/*'))],
    'execute-api:Invoke',
    API,
    'ImplicitlyDenied',
  ],
  ['an action that is not service:Action is not a request IAM judges', [policy(allow('*', '*'))], 'GetObject', OBJECT, 'Invalid'],
  ['an action with a space is not one', [policy(allow('*', '*'))], 's3:Get Object', OBJECT, 'Invalid'],
  ['an action with text before it is not one', [policy(allow('*', '*'))], ' s3:GetObject', OBJECT, 'Invalid'],
  ['an action with no name is not one', [policy(allow('*', '*'))], 's3:', OBJECT, 'Invalid'],
  ['a resource that is not an ARN is not a request IAM judges', [policy(allow('*', '*'))], 's3:GetObject', 'photos/a.png', 'Invalid'],
  ['an ARN with too few parts is not one', [policy(allow('*', '*'))], 's3:GetObject', 'arn:aws:s3:photos', 'Invalid'],
  ['an ARN with an empty resource is not one', [policy(allow('*', '*'))], 's3:GetObject', 'arn:aws:s3:::', 'Invalid'],
  ['an ARN with text before it is not one', [policy(allow('*', '*'))], 's3:GetObject', ` ${OBJECT}`, 'Invalid'],
  ['an ARN with a line break in it is not one', [policy(allow('*', '*'))], 's3:GetObject', `${OBJECT}\nx`, 'Invalid'],
  ['an ARN with no service is not one', [policy(allow('*', '*'))], 's3:GetObject', 'arn:aws::::x', 'Invalid'],
];

for (const [rule, permissions, action, resource, expected] of PERMISSION_CASES) {
  test(`permissions: ${rule}`, async () => {
    const decision = await roleAllows(role(permissions), { action, resource });
    assert.equal(decision.result, expected);
    assert.equal(decision.allowed, expected === 'Allowed');
  });
}

test('a request IAM cannot judge says why', async () => {
  const everything = role([policy(allow('*', '*'))]);
  assert.deepEqual(await roleAllows(everything, { action: 'GetObject', resource: OBJECT }), {
    allowed: false,
    result: 'Invalid',
    errors: ['GetObject is not an action'],
  });
  assert.deepEqual(await roleAllows(everything, { action: 's3:GetObject', resource: 'photos/a.png' }), {
    allowed: false,
    result: 'Invalid',
    errors: ['photos/a.png is not an ARN'],
  });
  assert.deepEqual(
    await roleAllows({ ...everything, arn: 'arn:aws:iam::123456789012:user/alice' }, { action: 's3:GetObject', resource: OBJECT }),
    {
      allowed: false,
      result: 'Invalid',
      errors: ['arn:aws:iam::123456789012:user/alice is not a role ARN'],
    },
  );
});

test("a role session's requests carry the role's ARN as aws:PrincipalArn, and the caller's context keys", async () => {
  const onlyThisRole = role([policy(allow('s3:GetObject', OBJECT, { Condition: { ArnEquals: { 'aws:PrincipalArn': ROLE } } }))]);
  assert.equal((await roleAllows(onlyThisRole, { action: 's3:GetObject', resource: OBJECT })).result, 'Allowed');
  const otherRole = role([
    policy(
      allow('s3:GetObject', OBJECT, { Condition: { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/app/Writer' } } }),
    ),
  ]);
  assert.equal((await roleAllows(otherRole, { action: 's3:GetObject', resource: OBJECT })).result, 'ImplicitlyDenied');
  const team = role([policy(allow('s3:GetObject', OBJECT, { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'red' } } }))]);
  assert.equal(
    (await roleAllows(team, { action: 's3:GetObject', resource: OBJECT, context: { 'aws:PrincipalTag/team': 'red' } })).allowed,
    true,
  );
  assert.equal(
    (await roleAllows(team, { action: 's3:GetObject', resource: OBJECT, context: { 'aws:PrincipalTag/team': 'blue' } })).allowed,
    false,
  );
});

const SIGNED_IN = { aud: POOL, amr: ['authenticated', 'cognito-idp.us-east-1.amazonaws.com/us-east-1_abc'], sub: 'us-east-1:identity-1' };
const ASSUME = 'sts:AssumeRoleWithWebIdentity';
const COGNITO = { Federated: 'cognito-identity.amazonaws.com' };

/** [what IAM documents, the role's trust policy statements, the decision for SIGNED_IN]. */
const TRUST_CASES: [string, Record<string, unknown>[], Decision][] = [
  ['the Cognito Identity principal is trusted when named', [{ Effect: 'Allow', Principal: COGNITO, Action: ASSUME }], 'Allowed'],
  [
    'one of a list of principal IDs suffices',
    [{ Effect: 'Allow', Principal: { Federated: ['accounts.google.com', 'cognito-identity.amazonaws.com'] }, Action: ASSUME }],
    'Allowed',
  ],
  [
    'a principal of another type with the same ID is not Cognito Identity',
    [{ Effect: 'Allow', Principal: { Service: 'cognito-identity.amazonaws.com' }, Action: ASSUME }],
    'ImplicitlyDenied',
  ],
  [
    'another federated principal is not',
    [{ Effect: 'Allow', Principal: { Federated: 'accounts.google.com' }, Action: ASSUME }],
    'ImplicitlyDenied',
  ],
  ['`*` names every principal', [{ Effect: 'Allow', Principal: '*', Action: ASSUME }], 'Allowed'],
  ['{"AWS": "*"} names every principal', [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: ASSUME }], 'Allowed'],
  [
    'a principal ID is matched exactly, without wildcards',
    [{ Effect: 'Allow', Principal: { Federated: 'cognito-identity.*' }, Action: ASSUME }],
    'ImplicitlyDenied',
  ],
  [
    'a principal that is a plain string other than `*` names no one',
    [{ Effect: 'Allow', Principal: 'cognito-identity.amazonaws.com', Action: ASSUME }],
    'ImplicitlyDenied',
  ],
  [
    "an AWS principal that is not `*` names only itself: an account's root is not Cognito Identity",
    [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: ASSUME }],
    'ImplicitlyDenied',
  ],
  [
    'a Service principal of `*` names services, not a federated principal',
    [{ Effect: 'Allow', Principal: { Service: '*' }, Action: ASSUME }],
    'ImplicitlyDenied',
  ],
  [
    'a Principal of several types names Cognito Identity when one of its types does',
    [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root', ...COGNITO }, Action: ASSUME }],
    'Allowed',
  ],
  ['another action is not trusted', [{ Effect: 'Allow', Principal: COGNITO, Action: 'sts:AssumeRole' }], 'ImplicitlyDenied'],
  [
    'NotPrincipal trusts everyone but those listed',
    [{ Effect: 'Allow', NotPrincipal: { Federated: 'accounts.google.com' }, Action: ASSUME }],
    'Allowed',
  ],
  ['NotPrincipal does not trust those listed', [{ Effect: 'Allow', NotPrincipal: COGNITO, Action: ASSUME }], 'ImplicitlyDenied'],
  [
    'a Deny of the principal wins over an Allow of everyone',
    [
      { Effect: 'Allow', Principal: '*', Action: ASSUME },
      { Effect: 'Deny', Principal: COGNITO, Action: 'sts:*' },
    ],
    'ExplicitlyDenied',
  ],
  [
    "conditions read the token's aud",
    [
      {
        Effect: 'Allow',
        Principal: COGNITO,
        Action: ASSUME,
        Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': 'us-east-1:other' } },
      },
    ],
    'ImplicitlyDenied',
  ],
  [
    "conditions read the token's sub",
    [
      {
        Effect: 'Allow',
        Principal: COGNITO,
        Action: ASSUME,
        Condition: { StringEquals: { 'cognito-identity.amazonaws.com:sub': SIGNED_IN.sub } },
      },
    ],
    'Allowed',
  ],
  [
    "conditions read each of the token's amr values",
    [
      {
        Effect: 'Allow',
        Principal: COGNITO,
        Action: ASSUME,
        Condition: { 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'cognito-idp.*' } },
      },
    ],
    'Allowed',
  ],
];

for (const [rule, statements, expected] of TRUST_CASES) {
  test(`trust: ${rule}`, async () => {
    const decision = await trustAllowsWebIdentity(role([], JSON.stringify({ Version: '2012-10-17', Statement: statements })), SIGNED_IN);
    assert.equal(decision.result, expected);
    assert.equal(decision.allowed, expected === 'Allowed');
  });
}

test('role ARNs: an account of twelve digits and a name of up to 64 of IAM’s characters, nothing around them', () => {
  assert.deepEqual(parseRoleArn('arn:aws:iam::123456789012:role/a/b/c/Name+=,.@-_1'), { accountId: '123456789012', name: 'Name+=,.@-_1' });
  assert.deepEqual(parseRoleArn(`arn:aws:iam::123456789012:role/${'r'.repeat(64)}`)?.name, 'r'.repeat(64));
  for (const notARole of [
    `arn:aws:iam::123456789012:role/${'r'.repeat(65)}`,
    'arn:aws:iam::12345678901:role/short-account',
    'arn:aws:iam::1234567890123:role/long-account',
    'arn:aws:iam::12345678901a:role/letters',
    'arn:aws:iam::123456789012:role/',
    'arn:aws:iam::123456789012:role/has space',
    ` arn:aws:iam::123456789012:role/leading`,
    'arn:aws:iam::123456789012:role/trailing ',
    'arn:aws:iam::123456789012:user/alice',
    'arn:aws:sts::123456789012:role/sts',
  ]) {
    assert.equal(parseRoleArn(notARole), undefined, notARole);
  }
});
