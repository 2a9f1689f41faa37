import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assumedRoleArn, roleIdOf } from '../../src/credentials/sessions.js';

/*
 * STS's assumed-role user (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumedRoleUser.html):
 * `arn:<partition>:sts::<account>:assumed-role/<role name>/<session name>` (the role's path left
 * out), and `<role id>:<session name>`, the role ID being IAM's `AROA` and 17 upper-case letters
 * and digits, one per role.
 */

test("a role's ID is IAM's form, the same for the same role on every call, and another role's differs", () => {
  const reader = 'arn:aws:iam::123456789012:role/Reader';
  assert.match(roleIdOf(reader), /^AROA[A-Z0-9]{17}$/);
  assert.equal(roleIdOf(reader), roleIdOf(`${reader}`));
  const ids = new Set(['Reader', 'Writer', 'Admin', 'Guest', 'reader'].map((name) => roleIdOf(`arn:aws:iam::123456789012:role/${name}`)));
  assert.equal(ids.size, 5);
  // 17 characters drawn from 36: a digest that only ever gave letters or only digits would be a bug.
  const characters = new Set([...ids].flatMap((id) => [...id.slice(4)]));
  assert.ok([...characters].some((c) => /\d/.test(c)) && [...characters].some((c) => /[A-Z]/.test(c)), [...characters].join(''));
});

test("an assumed-role user is named in the role's partition and account, without the role's path", () => {
  assert.equal(
    assumedRoleArn('arn:aws:iam::123456789012:role/app/team/Reader', 'alice'),
    'arn:aws:sts::123456789012:assumed-role/Reader/alice',
  );
  assert.equal(assumedRoleArn('arn:aws-cn:iam::210987654321:role/Writer', 's'), 'arn:aws-cn:sts::210987654321:assumed-role/Writer/s');
  assert.throws(() => assumedRoleArn('arn:aws:iam::123456789012:user/alice', 's'), /not a role ARN: arn:aws:iam::123456789012:user\/alice/);
});
