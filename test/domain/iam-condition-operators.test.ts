import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conditionHolds, isConditionOperator, wildcardMatches, type RequestContext } from '../../src/domain/iam-conditions.js';

/*
 * IAM's condition operators as its user guide defines them, one case a row, as the oracle for the
 * evaluator (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * and, for multivalued keys, reference_policies_condition-single-vs-multi-valued-context-keys.html).
 */

const KEY = 'aws:RequestTag/team';

/** [operator, the policy's value(s), the request's value(s) (undefined: the key is absent), whether it holds]. */
const CASES: [string, unknown, string | string[] | undefined, boolean][] = [
  // Strings: exact and case-sensitive, or case-insensitive, or with * and ?.
  ['StringEquals', 'Red', 'Red', true],
  ['StringEquals', 'Red', 'red', false],
  ['StringNotEquals', 'Red', 'red', true],
  ['StringNotEquals', 'Red', 'Red', false],
  ['StringEqualsIgnoreCase', 'Red', 'rED', true],
  ['StringEqualsIgnoreCase', 'Red', 'Reds', false],
  ['StringNotEqualsIgnoreCase', 'Red', 'rED', false],
  ['StringNotEqualsIgnoreCase', 'Red', 'Blue', true],
  ['StringLike', 'R*d', 'Rd', true],
  ['StringLike', 'R?d', 'Rd', false],
  ['StringLike', 'R?d', 'Red', true],
  ['StringLike', 'r*', 'Red', false],
  ['StringLike', 'a*', 'a\nb', true],
  ['StringLike', 'a+b', 'aab', false],
  ['StringLike', 'a(b)', 'a(b)', true],
  ['StringLike', 'a$', 'a$', true],
  ['StringLike', '[ab]', 'a', false],
  ['StringNotLike', 'R*', 'Red', false],
  ['StringNotLike', 'B*', 'Red', true],
  // Numbers: compared as numbers, not text; a value that is not one matches nothing.
  ['NumericEquals', '10', '10.0', true],
  ['NumericEquals', 0, '', false],
  ['NumericEquals', '', '0', false],
  ['NumericNotEquals', '10', '10.0', false],
  ['NumericNotEquals', '10', '9', true],
  ['NumericLessThan', '10', '9', true],
  ['NumericLessThan', '10', '10', false],
  ['NumericLessThanEquals', '10', '10', true],
  ['NumericLessThanEquals', '10', '11', false],
  ['NumericGreaterThan', '10', '11', true],
  ['NumericGreaterThan', '10', '10', false],
  ['NumericGreaterThanEquals', '10', '10', true],
  ['NumericGreaterThanEquals', '10', '9', false],
  ['NumericGreaterThan', '10', '100', true],
  // Dates: ISO 8601 or epoch seconds, compared as instants.
  ['DateEquals', '2026-01-01T00:00:00Z', '1767225600', true],
  ['DateEquals', '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z', false],
  ['DateNotEquals', '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z', true],
  ['DateNotEquals', '1767225600', '2026-01-01T00:00:00Z', false],
  ['DateLessThan', '2026-01-01T00:00:00Z', '2025-12-31T23:59:59Z', true],
  ['DateLessThan', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', false],
  ['DateLessThanEquals', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', true],
  ['DateLessThanEquals', '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z', false],
  ['DateGreaterThan', '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z', true],
  ['DateGreaterThan', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', false],
  ['DateGreaterThanEquals', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', true],
  ['DateGreaterThanEquals', '2026-01-01T00:00:00Z', '2025-12-31T23:59:59Z', false],
  ['DateEquals', 'not a date', 'not a date', false],
  // Bool: true or false, whatever the case.
  ['Bool', 'true', 'TRUE', true],
  ['Bool', true, 'false', false],
  // IP addresses: a CIDR block, or one address (IPv4 /32, IPv6 /128).
  ['IpAddress', '203.0.113.0/24', '203.0.113.255', true],
  ['IpAddress', '203.0.113.0/24', '203.0.114.0', false],
  ['IpAddress', '203.0.113.9', '203.0.113.10', false],
  ['IpAddress', '2001:db8::1', '2001:db8::1', true],
  ['IpAddress', '2001:db8::1', '2001:db8::2', false],
  ['NotIpAddress', '203.0.113.0/24', '198.51.100.1', true],
  // ARNs: part by part, with wildcards in ArnLike (and, as IAM has it, in ArnEquals).
  ['ArnEquals', 'arn:aws:iam::123456789012:role/Reader', 'arn:aws:iam::123456789012:role/Reader', true],
  ['ArnNotEquals', 'arn:aws:iam::123456789012:role/Reader', 'arn:aws:iam::123456789012:role/Writer', true],
  ['ArnNotEquals', 'arn:aws:iam::123456789012:role/Reader', 'arn:aws:iam::123456789012:role/Reader', false],
  ['ArnLike', 'arn:aws:iam::*:role/*', 'arn:aws:iam::123456789012:user/alice', false],
  ['ArnLike', 'arn:aws:iam::*:role/*', 'not an arn', false],
  // One of the policy's values suffices; a negated operator needs the request to match none of them.
  ['StringEquals', ['Blue', 'Red'], 'Red', true],
  ['StringNotEquals', ['Blue', 'Red'], 'Red', false],
  // A single-valued operator on a multivalued key: positive when any value matches, negated when none does.
  ['StringEquals', 'Red', ['Blue', 'Red'], true],
  ['StringNotEquals', 'Red', ['Blue', 'Red'], false],
  ['StringNotEquals', 'Red', ['Blue', 'Green'], true],
  // Set operators: ForAllValues holds when every request value matches, ForAnyValue when one does.
  ['ForAllValues:StringEquals', ['Blue', 'Red'], ['Blue', 'Red'], true],
  ['ForAllValues:StringEquals', ['Blue', 'Red'], ['Blue', 'Green'], false],
  ['ForAnyValue:StringEquals', ['Red'], ['Blue', 'Red'], true],
  ['ForAnyValue:StringEquals', ['Red'], ['Blue', 'Green'], false],
  ['ForAllValues:StringNotEquals', ['Red'], ['Blue', 'Green'], true],
  ['ForAllValues:StringNotEquals', ['Red'], ['Blue', 'Red'], false],
  // Absent keys (and keys with no values).
  ['StringEquals', 'Red', undefined, false],
  ['StringNotEquals', 'Red', undefined, true],
  ['StringNotEquals', 'Red', [], true],
  ['StringEquals', 'Red', [], false],
  ['NumericLessThanIfExists', '10', undefined, true],
  ['NumericLessThanIfExists', '10', '11', false],
  ['ForAllValues:StringEquals', 'Red', [], true],
  ['ForAnyValue:StringEquals', 'Red', [], false],
  ['ForAnyValue:StringNotEquals', 'Red', undefined, false],
  ['Null', 'true', [], true],
  ['Null', 'false', undefined, false],
  ['Null', 'false', 'Red', true],
  ['Null', 'TRUE', 'Red', false],
  ['Null', ['true', 'false'], 'Red', true],
];

for (const [operator, policyValue, requestValue, holds] of CASES) {
  test(`${operator} ${JSON.stringify(policyValue)} on ${JSON.stringify(requestValue) ?? 'no value'}: ${holds ? 'holds' : 'does not hold'}`, () => {
    const context: RequestContext = requestValue === undefined ? {} : { [KEY]: requestValue };
    assert.equal(conditionHolds({ [operator]: { [KEY]: policyValue } }, context), holds);
  });
}

test('operators IAM knows, with set and IfExists forms, and Null alone', () => {
  for (const known of ['StringLikeIfExists', 'ForAnyValue:DateEquals', 'ForAllValues:NotIpAddressIfExists', 'Null', 'BoolIfExists']) {
    assert.equal(isConditionOperator(known), true, known);
  }
  for (const unknown of [
    'NullIfExists',
    'ForAllValues:Null',
    'ForSomeValues:StringLike',
    'stringequals',
    'StringEqualsIfExistsIfExists',
    '',
  ]) {
    assert.equal(isConditionOperator(unknown), false, unknown);
  }
});

test('a Condition that is not an object of operators holds for nothing, and no Condition holds always', () => {
  assert.equal(conditionHolds(undefined, {}), true);
  assert.equal(conditionHolds(null, {}), false);
  assert.equal(conditionHolds('StringEquals', {}), false);
  assert.equal(conditionHolds({ StringEquals: null }, { [KEY]: 'Red' }), false);
  assert.equal(conditionHolds({ StringEquals: 'Red' }, { [KEY]: 'Red' }), false);
  assert.equal(conditionHolds({}, {}), true, 'no operator: nothing to fail');
});

test('wildcards match the whole value, case-sensitively unless asked', () => {
  assert.equal(wildcardMatches('s3:Get*', 'xs3:GetObject'), false);
  assert.equal(wildcardMatches('s3:Get', 's3:GetObject'), false);
  assert.equal(wildcardMatches('S3:GET*', 's3:GetObject'), false);
  assert.equal(wildcardMatches('S3:GET*', 's3:GetObject', true), true);
});
