import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_PRINCIPAL_TAGS,
  ROLE_REFUSAL_ERRORS,
  chooseRole,
  principalTagsFromClaims,
  roleMappingKey,
  ruleMatches,
} from '../../src/domain/role-mapping.js';
import type { RoleChoiceInput } from '../../src/domain/role-mapping.js';
import type { MappingRule, RoleMapping } from '../../src/generated/cognito-identity/shapes.js';

const AUTH = 'arn:aws:iam::123456789012:role/authenticated';
const UNAUTH = 'arn:aws:iam::123456789012:role/unauthenticated';
const ADMIN = 'arn:aws:iam::123456789012:role/admin';
const READER = 'arn:aws:iam::123456789012:role/reader';
const PROVIDER = 'cognito-idp.us-east-1.amazonaws.com/us-east-1_abc123';
const KEY = `${PROVIDER}:client1`;
const ROLES = { authenticated: AUTH, unauthenticated: UNAUTH };

function input(overrides: Partial<RoleChoiceInput>): RoleChoiceInput {
  return { roles: ROLES, roleMappings: undefined, mappingKey: KEY, claims: {}, ...overrides };
}

function rule(Claim: string, MatchType: MappingRule['MatchType'], Value: string, RoleARN = ADMIN): MappingRule {
  return { Claim, MatchType, Value, RoleARN };
}

function tokenMapping(resolution: RoleMapping['AmbiguousRoleResolution']): Record<string, RoleMapping> {
  return { [KEY]: { Type: 'Token', AmbiguousRoleResolution: resolution } };
}

function rulesMapping(rules: MappingRule[], resolution: RoleMapping['AmbiguousRoleResolution'] = 'Deny'): Record<string, RoleMapping> {
  return { [KEY]: { Type: 'Rules', AmbiguousRoleResolution: resolution, RulesConfiguration: { Rules: rules } } };
}

describe('roleMappingKey', () => {
  it('names a user pool login with its app client, as RoleMappings keys it', () => {
    assert.equal(roleMappingKey(PROVIDER, 'client1'), KEY);
  });
  it('names any other provider by its name alone', () => {
    assert.equal(roleMappingKey('graph.facebook.com', '1234'), 'graph.facebook.com');
    assert.equal(roleMappingKey('login.example.dev', undefined), 'login.example.dev');
  });
});

describe('chooseRole without a mapping', () => {
  it('gives a guest the unauthenticated role and a login the authenticated role', () => {
    assert.deepEqual(chooseRole(input({ mappingKey: undefined })), { roleArn: UNAUTH });
    assert.deepEqual(chooseRole(input({})), { roleArn: AUTH });
  });
  it('refuses when the pool has no role for that kind of identity', () => {
    assert.deepEqual(chooseRole(input({ mappingKey: undefined, roles: { authenticated: AUTH } })), { refusal: 'no-role' });
    assert.deepEqual(chooseRole(input({ roles: {} })), { refusal: 'no-role' });
    assert.deepEqual(chooseRole(input({ roles: undefined })), { refusal: 'no-role' });
  });
  it('reads only the mapping of the login used', () => {
    const other = { 'graph.facebook.com': { Type: 'Rules', AmbiguousRoleResolution: 'Deny' } } as Record<string, RoleMapping>;
    assert.deepEqual(chooseRole(input({ roleMappings: other })), { roleArn: AUTH });
  });
  it('ignores CustomRoleArn when no Token mapping applies', () => {
    assert.deepEqual(chooseRole(input({ customRoleArn: ADMIN })), { roleArn: AUTH });
  });
});

describe('chooseRole with a Token mapping', () => {
  const claims = { 'cognito:roles': [ADMIN, READER], 'cognito:preferred_role': READER };
  it('takes cognito:preferred_role', () => {
    assert.deepEqual(chooseRole(input({ roleMappings: tokenMapping('Deny'), claims })), { roleArn: READER });
  });
  it('takes a CustomRoleArn that cognito:roles lists, over the preferred role', () => {
    assert.deepEqual(chooseRole(input({ roleMappings: tokenMapping('Deny'), claims, customRoleArn: ADMIN })), { roleArn: ADMIN });
  });
  it('refuses a CustomRoleArn that cognito:roles does not list, even with AuthenticatedRole resolution', () => {
    assert.deepEqual(chooseRole(input({ roleMappings: tokenMapping('AuthenticatedRole'), claims, customRoleArn: AUTH })), {
      refusal: 'custom-role-not-in-token',
    });
    assert.deepEqual(chooseRole(input({ roleMappings: tokenMapping('Deny'), claims: {}, customRoleArn: ADMIN })), {
      refusal: 'custom-role-not-in-token',
    });
  });
  it('takes the one role of cognito:roles when no role is preferred', () => {
    assert.deepEqual(chooseRole(input({ roleMappings: tokenMapping('Deny'), claims: { 'cognito:roles': [ADMIN] } })), { roleArn: ADMIN });
  });
  it('resolves several roles and no preference, or no roles at all, by AmbiguousRoleResolution', () => {
    const several = { 'cognito:roles': [ADMIN, READER] };
    assert.deepEqual(chooseRole(input({ roleMappings: tokenMapping('Deny'), claims: several })), { refusal: 'ambiguous-denied' });
    assert.deepEqual(chooseRole(input({ roleMappings: tokenMapping('AuthenticatedRole'), claims: several })), { roleArn: AUTH });
    assert.deepEqual(chooseRole(input({ roleMappings: tokenMapping('AuthenticatedRole'), claims: {} })), { roleArn: AUTH });
    assert.deepEqual(chooseRole(input({ roleMappings: tokenMapping(undefined), claims: {} })), { refusal: 'ambiguous-denied' });
  });
  it('refuses AuthenticatedRole resolution when the pool has no authenticated role', () => {
    assert.deepEqual(chooseRole(input({ roles: { unauthenticated: UNAUTH }, roleMappings: tokenMapping('AuthenticatedRole') })), {
      refusal: 'no-role',
    });
  });
});

describe('chooseRole with a Rules mapping', () => {
  it('takes the role of the first rule that matches, in order', () => {
    const rules = [rule('custom:tier', 'Equals', 'gold', ADMIN), rule('custom:tier', 'StartsWith', 'g', READER)];
    assert.deepEqual(chooseRole(input({ roleMappings: rulesMapping(rules), claims: { 'custom:tier': 'gold' } })), { roleArn: ADMIN });
    assert.deepEqual(chooseRole(input({ roleMappings: rulesMapping(rules), claims: { 'custom:tier': 'green' } })), { roleArn: READER });
  });
  it('resolves no match by AmbiguousRoleResolution', () => {
    const rules = [rule('custom:tier', 'Equals', 'gold')];
    assert.deepEqual(chooseRole(input({ roleMappings: rulesMapping(rules, 'Deny'), claims: { 'custom:tier': 'tin' } })), {
      refusal: 'ambiguous-denied',
    });
    assert.deepEqual(chooseRole(input({ roleMappings: rulesMapping(rules, 'AuthenticatedRole'), claims: {} })), { roleArn: AUTH });
  });
  it('does not read CustomRoleArn', () => {
    const rules = [rule('custom:tier', 'Equals', 'gold', READER)];
    assert.deepEqual(chooseRole(input({ roleMappings: rulesMapping(rules), claims: { 'custom:tier': 'gold' }, customRoleArn: ADMIN })), {
      roleArn: READER,
    });
  });
});

describe('ruleMatches', () => {
  const claims = { email: 'ana@example.com', 'cognito:groups': ['staff', 'admins'], age: 42, verified: true, nested: { a: 'b' } };
  it('compares a single value as text', () => {
    assert.equal(ruleMatches(rule('email', 'Equals', 'ana@example.com'), claims), true);
    assert.equal(ruleMatches(rule('email', 'Equals', 'ANA@example.com'), claims), false);
    assert.equal(ruleMatches(rule('email', 'Contains', '@example.'), claims), true);
    assert.equal(ruleMatches(rule('email', 'Contains', '@other.'), claims), false);
    assert.equal(ruleMatches(rule('email', 'StartsWith', 'ana@'), claims), true);
    assert.equal(ruleMatches(rule('email', 'StartsWith', 'example'), claims), false);
    assert.equal(ruleMatches(rule('email', 'NotEqual', 'bob@example.com'), claims), true);
    assert.equal(ruleMatches(rule('email', 'NotEqual', 'ana@example.com'), claims), false);
    assert.equal(ruleMatches(rule('age', 'Equals', '42'), claims), true);
    assert.equal(ruleMatches(rule('verified', 'Equals', 'true'), claims), true);
  });
  it('tests each value of a multi-valued claim', () => {
    assert.equal(ruleMatches(rule('cognito:groups', 'Contains', 'admins'), claims), true);
    assert.equal(ruleMatches(rule('cognito:groups', 'Contains', 'min'), claims), true);
    assert.equal(ruleMatches(rule('cognito:groups', 'Contains', 'guests'), claims), false);
    assert.equal(ruleMatches(rule('cognito:groups', 'Equals', 'staff'), claims), true);
    assert.equal(ruleMatches(rule('cognito:groups', 'StartsWith', 'adm'), claims), true);
    assert.equal(ruleMatches(rule('cognito:groups', 'NotEqual', 'staff'), claims), false);
    assert.equal(ruleMatches(rule('cognito:groups', 'NotEqual', 'guests'), claims), true);
  });
  it('never matches a claim the token lacks or an object claim, not even NotEqual', () => {
    assert.equal(ruleMatches(rule('custom:missing', 'NotEqual', 'x'), claims), false);
    assert.equal(ruleMatches(rule('nested', 'NotEqual', 'x'), claims), false);
    assert.equal(ruleMatches(rule('nested', 'Contains', 'b'), claims), false);
  });
});

describe('ROLE_REFUSAL_ERRORS', () => {
  it('names AWS exceptions for each refusal', () => {
    assert.deepEqual(ROLE_REFUSAL_ERRORS['no-role'], {
      type: 'InvalidIdentityPoolConfigurationException',
      message: 'Invalid identity pool configuration. Check assigned IAM roles for this pool.',
    });
    assert.equal(ROLE_REFUSAL_ERRORS['ambiguous-denied'].type, 'NotAuthorizedException');
    assert.equal(ROLE_REFUSAL_ERRORS['ambiguous-denied'].message, 'The ambiguous role mapping rules denied this request.');
    assert.equal(ROLE_REFUSAL_ERRORS['custom-role-not-in-token'].type, 'NotAuthorizedException');
  });
});

describe('principalTagsFromClaims', () => {
  const claims = { sub: 'user-sub', aud: 'client1', email: 'ana@example.com', 'cognito:groups': ['staff', 'admins'], nested: { a: 1 } };
  it('gives no tags for a provider without a map', () => {
    assert.deepEqual(principalTagsFromClaims(undefined, claims), {});
  });
  it('maps username and client from sub and aud by default', () => {
    assert.deepEqual(DEFAULT_PRINCIPAL_TAGS, { username: 'sub', client: 'aud' });
    assert.deepEqual(principalTagsFromClaims({ useDefaults: true, principalTags: {} }, claims), {
      username: 'user-sub',
      client: 'client1',
    });
  });
  it('maps the provider own tags, over the defaults when both are on', () => {
    assert.deepEqual(principalTagsFromClaims({ useDefaults: false, principalTags: { mail: 'email' } }, claims), {
      mail: 'ana@example.com',
    });
    assert.deepEqual(principalTagsFromClaims({ useDefaults: true, principalTags: { client: 'email' } }, claims), {
      username: 'user-sub',
      client: 'ana@example.com',
    });
  });
  it('joins a multi-valued claim and leaves out missing and object claims', () => {
    assert.deepEqual(
      principalTagsFromClaims(
        { useDefaults: false, principalTags: { groups: 'cognito:groups', gone: 'custom:none', obj: 'nested' } },
        claims,
      ),
      { groups: 'staff,admins' },
    );
  });
});
