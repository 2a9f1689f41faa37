import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arnMatches, conditionHolds, isConditionOperator, wildcardMatches, withPolicyVariables } from '../../src/domain/iam-conditions.js';

const AMR = 'cognito-identity.amazonaws.com:amr';
const SIGNED_IN = { [AMR]: ['authenticated', 'cognito-idp.us-east-1.amazonaws.com/us-east-1_abc'], 'aws:SourceIp': '203.0.113.9' };

test('every key of every operator must hold, and one of a key’s values suffices', () => {
  const both = { StringEquals: { 'cognito-identity.amazonaws.com:aud': 'pool', 'cognito-identity.amazonaws.com:sub': 'me' } };
  assert.equal(conditionHolds(both, { 'cognito-identity.amazonaws.com:aud': 'pool', 'cognito-identity.amazonaws.com:sub': 'me' }), true);
  assert.equal(conditionHolds(both, { 'cognito-identity.amazonaws.com:aud': 'pool', 'cognito-identity.amazonaws.com:sub': 'you' }), false);
  assert.equal(conditionHolds({ StringEquals: { 'aws:SourceIp': ['198.51.100.1', '203.0.113.9'] } }, SIGNED_IN), true);
  assert.equal(conditionHolds({ StringEquals: { 'AWS:SOURCEIP': '203.0.113.9' } }, SIGNED_IN), true, 'keys ignore case');
  assert.equal(
    conditionHolds({ StringEquals: { 'aws:SourceIp': '203.0.113.9' }, Bool: { 'aws:SecureTransport': 'true' } }, SIGNED_IN),
    false,
  );
});

test('ForAnyValue and ForAllValues compare the request’s set of values', () => {
  assert.equal(conditionHolds({ 'ForAnyValue:StringLike': { [AMR]: 'authenticated' } }, SIGNED_IN), true);
  assert.equal(conditionHolds({ 'ForAnyValue:StringLike': { [AMR]: 'unauthenticated' } }, SIGNED_IN), false);
  assert.equal(conditionHolds({ 'ForAllValues:StringLike': { [AMR]: ['authenticated', 'cognito-idp.*'] } }, SIGNED_IN), true);
  assert.equal(conditionHolds({ 'ForAllValues:StringLike': { [AMR]: 'authenticated' } }, SIGNED_IN), false);
  // Absent keys: ForAllValues holds, ForAnyValue does not.
  assert.equal(conditionHolds({ 'ForAllValues:StringEquals': { 'aws:TagKeys': 'a' } }, {}), true);
  assert.equal(conditionHolds({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'a' } }, {}), false);
  assert.equal(conditionHolds({ 'ForAnyValue:StringNotEquals': { [AMR]: 'authenticated' } }, SIGNED_IN), true);
});

test('absent keys: IfExists and negated operators hold, positive ones do not, Null tells which', () => {
  assert.equal(conditionHolds({ StringEquals: { 'aws:PrincipalTag/team': 'a' } }, {}), false);
  assert.equal(conditionHolds({ StringEqualsIfExists: { 'aws:PrincipalTag/team': 'a' } }, {}), true);
  assert.equal(conditionHolds({ StringEqualsIfExists: { 'aws:PrincipalTag/team': 'a' } }, { 'aws:PrincipalTag/team': 'b' }), false);
  assert.equal(conditionHolds({ StringNotEquals: { 'aws:PrincipalTag/team': 'a' } }, {}), true);
  assert.equal(conditionHolds({ StringLike: { 'aws:PrincipalTag/team': '*' } }, {}), false);
  assert.equal(conditionHolds({ Null: { 'aws:TokenIssueTime': 'true' } }, {}), true);
  assert.equal(conditionHolds({ Null: { 'aws:TokenIssueTime': true } }, { 'aws:TokenIssueTime': '2026-01-01T00:00:00Z' }), false);
  assert.equal(conditionHolds({ Null: { 'aws:TokenIssueTime': 'false' } }, { 'aws:TokenIssueTime': '2026-01-01T00:00:00Z' }), true);
});

test('numeric, date, Bool, IP address and ARN operators', () => {
  assert.equal(conditionHolds({ NumericLessThan: { 's3:max-keys': 10 } }, { 's3:max-keys': '9' }), true);
  assert.equal(conditionHolds({ NumericLessThan: { 's3:max-keys': '10' } }, { 's3:max-keys': '10' }), false);
  assert.equal(conditionHolds({ NumericGreaterThanEquals: { 's3:max-keys': '10' } }, { 's3:max-keys': 'ten' }), false);
  const time = { 'aws:CurrentTime': '2026-06-01T12:00:00Z' };
  assert.equal(conditionHolds({ DateGreaterThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } }, time), true);
  assert.equal(conditionHolds({ DateLessThan: { 'aws:CurrentTime': '1767225600' } }, time), false, 'epoch seconds: 2026-01-01');
  assert.equal(conditionHolds({ Bool: { 'aws:SecureTransport': false } }, { 'aws:SecureTransport': 'false' }), true);
  assert.equal(conditionHolds({ IpAddress: { 'aws:SourceIp': ['198.51.100.0/24', '203.0.113.9'] } }, SIGNED_IN), true);
  assert.equal(conditionHolds({ NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, SIGNED_IN), false);
  assert.equal(conditionHolds({ IpAddress: { 'aws:SourceIp': '2001:db8::/32' } }, { 'aws:SourceIp': '2001:db8::1' }), true);
  const role = { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/app/Cognito_Auth' };
  assert.equal(conditionHolds({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/app/*' } }, role), true);
  assert.equal(conditionHolds({ ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/app/*' } }, role), false);
  assert.equal(conditionHolds({ ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:user/*' } }, role), false);
});

test('an operator IAM does not know never holds', () => {
  assert.equal(isConditionOperator('StringSortOf'), false);
  assert.equal(isConditionOperator('ForAnyValue:Null'), false);
  assert.equal(isConditionOperator('ForAllValues:ArnLikeIfExists'), true);
  assert.equal(conditionHolds({ StringSortOf: { 'aws:SourceIp': '*' } }, SIGNED_IN), false);
});

test('wildcards: * and ? in text, and per part of an ARN', () => {
  assert.equal(wildcardMatches('execute-api:*', 'EXECUTE-API:Invoke', true), true);
  assert.equal(wildcardMatches('s3:Get?bject', 's3:GetObject'), true);
  assert.equal(wildcardMatches('a.c', 'abc'), false, 'a dot is literal');
  assert.equal(arnMatches('arn:aws:execute-api:*:*:*/prod/*', 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets'), true);
  assert.equal(arnMatches('arn:aws:execute-api:*:*:*/prod/*', 'arn:aws:execute-api:us-east-1:123456789012:abc123/test/GET/prod/x'), true);
  assert.equal(arnMatches('arn:aws:execute-api:us-*', 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod'), false);
  assert.equal(arnMatches('arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a:b'), true, 'the resource part keeps its colons');
});

test('policy variables: the request’s value, a default, literal wildcards, and an absent key that matches nothing', () => {
  const sub = { 'cognito-identity.amazonaws.com:sub': 'us-east-1:id-1', 'aws:username': 'a*b' };
  assert.equal(
    withPolicyVariables('arn:aws:s3:::bucket/${cognito-identity.amazonaws.com:sub}/*', sub),
    'arn:aws:s3:::bucket/us-east-1:id-1/*',
  );
  assert.equal(withPolicyVariables("home/${aws:PrincipalTag/team, 'none'}", sub), 'home/none');
  assert.equal(withPolicyVariables('home/${aws:PrincipalTag/team}', sub), undefined);
  assert.equal(withPolicyVariables('${*}${?}${$}', sub)!.length, 3);
  // A variable's `*` is literal: `a*b` matches only itself.
  assert.equal(conditionHolds({ StringLike: { 's3:prefix': 'home/${aws:username}/*' } }, { ...sub, 's3:prefix': 'home/a*b/x' }), true);
  assert.equal(conditionHolds({ StringLike: { 's3:prefix': 'home/${aws:username}/*' } }, { ...sub, 's3:prefix': 'home/axxb/x' }), false);
  assert.equal(conditionHolds({ StringEquals: { 's3:prefix': '${aws:username}' } }, { ...sub, 's3:prefix': 'a*b' }), true);
  assert.equal(conditionHolds({ StringEquals: { 's3:prefix': '${aws:userid}' } }, { ...sub, 's3:prefix': '' }), false);
  assert.equal(conditionHolds({ NumericEquals: { 's3:max-keys': '${aws:username}' } }, { ...sub, 's3:max-keys': '1' }), false);
});
