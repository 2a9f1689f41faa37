import { test } from 'node:test';
import assert from 'node:assert/strict';
import { policyDocumentProblem } from '../../src/domain/iam-policy.js';

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
