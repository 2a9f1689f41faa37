import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { requireRole } from '../../src/api/ops/identities/role-choice.js';
import { CognitoError } from '../../src/errors/cognito-error.js';

const AUTH = 'arn:aws:iam::123456789012:role/authenticated';
const KEY = 'cognito-idp.us-east-1.amazonaws.com/us-east-1_abc123:client1';

/** Asserts that the call throws the Cognito Identity exception `type` with `message`, as HTTP 400. */
function throwsAws(call: () => unknown, type: string, message: string): void {
  assert.throws(call, (error: unknown) => {
    assert.ok(error instanceof CognitoError);
    assert.equal(error.type, type);
    assert.equal(error.status, 400);
    assert.equal(error.message, message);
    return true;
  });
}

describe('requireRole', () => {
  it('answers the chosen role', () => {
    assert.equal(requireRole({ roles: { authenticated: AUTH }, roleMappings: undefined, mappingKey: KEY, claims: {} }), AUTH);
  });
  it('throws InvalidIdentityPoolConfigurationException when the pool has no role', () => {
    throwsAws(
      () => requireRole({ roles: {}, roleMappings: undefined, mappingKey: undefined, claims: {} }),
      'InvalidIdentityPoolConfigurationException',
      'Invalid identity pool configuration. Check assigned IAM roles for this pool.',
    );
  });
  it('throws NotAuthorizedException when an ambiguous mapping denies, or CustomRoleArn is not in the token', () => {
    const roleMappings = { [KEY]: { Type: 'Token' as const, AmbiguousRoleResolution: 'Deny' as const } };
    throwsAws(
      () => requireRole({ roles: { authenticated: AUTH }, roleMappings, mappingKey: KEY, claims: {} }),
      'NotAuthorizedException',
      'The ambiguous role mapping rules denied this request.',
    );
    throwsAws(
      () => requireRole({ roles: { authenticated: AUTH }, roleMappings, mappingKey: KEY, claims: {}, customRoleArn: AUTH }),
      'NotAuthorizedException',
      'The role in CustomRoleArn is not one of the roles in the token (cognito:roles).',
    );
  });
});
