import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cognitoTrustPolicy, roleAllows, trustAllowsWebIdentity, type EvaluatedRole } from '../../src/domain/iam-policy.js';

/*
 * Evaluation reads policies as stored, without checking them again: what it cannot read as a
 * statement, a principal, an action or a resource matches nothing (it never allows, and never
 * throws), and everything readable beside it is still judged.
 */

const ROLE = 'arn:aws:iam::123456789012:role/Reader';
const POOL = 'us-east-1:11111111-2222-4333-8444-555555555555';
const OBJECT = 'arn:aws:s3:::photos/a.png';
const SIGNED_IN = { aud: POOL, amr: ['authenticated'], sub: 'us-east-1:identity-1' };

function role(permissions: unknown[], trust: unknown = JSON.parse(cognitoTrustPolicy(POOL))): EvaluatedRole {
  return { arn: ROLE, trustPolicy: JSON.stringify(trust), permissions: permissions.map((document) => JSON.stringify(document)) };
}

test('statements that are not objects are skipped, and the others still decide', async () => {
  const mixed = {
    Version: '2012-10-17',
    Statement: [null, 'Allow everything', 7, { Effect: 'Allow', Action: 's3:GetObject', Resource: OBJECT }],
  };
  assert.equal((await roleAllows(role([mixed]), { action: 's3:GetObject', resource: OBJECT })).result, 'Allowed');
  const none = { Version: '2012-10-17', Statement: [null, 'Allow everything'] };
  assert.equal((await roleAllows(role([none]), { action: 's3:GetObject', resource: OBJECT })).result, 'ImplicitlyDenied');
});

test('values in a list that are not strings match nothing, and the strings beside them still match', async () => {
  const allow = (Action: unknown, Resource: unknown) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action, Resource }] });
  const ask = { action: 's3:GetObject', resource: OBJECT };
  assert.equal((await roleAllows(role([allow([42, 's3:GetObject'], [null, OBJECT])]), ask)).result, 'Allowed');
  assert.equal((await roleAllows(role([allow([42], OBJECT)]), ask)).result, 'ImplicitlyDenied');
  assert.equal((await roleAllows(role([allow('s3:GetObject', { arn: OBJECT })]), ask)).result, 'ImplicitlyDenied');
  assert.equal((await roleAllows(role([allow(true, '*')]), ask)).result, 'ImplicitlyDenied');
});

test('a Principal that is null, a number or a list of nothing names no one', async () => {
  const trusting = (Principal: unknown) => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal, Action: 'sts:AssumeRoleWithWebIdentity' }],
  });
  for (const principal of [null, 7, { Federated: [3] }, { Federated: null }, { AWS: [null] }]) {
    assert.equal(
      (await trustAllowsWebIdentity(role([], trusting(principal)), SIGNED_IN)).result,
      'ImplicitlyDenied',
      JSON.stringify(principal),
    );
  }
  const notNobody = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', NotPrincipal: null, Action: 'sts:AssumeRoleWithWebIdentity' }],
  };
  assert.equal(
    (await trustAllowsWebIdentity(role([], notNobody), SIGNED_IN)).result,
    'Allowed',
    'NotPrincipal naming no one excludes no one',
  );
});
