import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseListUsersFilter } from '../../src/domain/list-users-filter.js';

const insensitive = { usernameCaseSensitive: false };
const sensitive = { usernameCaseSensitive: true };

function rejects(filter: string, message: string): void {
  assert.throws(
    () => parseListUsersFilter(filter, sensitive),
    (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.equal((error as { type?: string }).type, 'InvalidParameterException');
      assert.equal(error.message, message);
      return true;
    },
  );
}

describe('parseListUsersFilter', () => {
  it('lists every user for an absent, empty or blank filter', () => {
    assert.equal(parseListUsersFilter(undefined, sensitive), undefined);
    assert.equal(parseListUsersFilter('', sensitive), undefined);
    assert.equal(parseListUsersFilter('   \t', sensitive), undefined);
  });

  it('parses exact and prefix matches', () => {
    assert.deepEqual(parseListUsersFilter('phone_number = "+1555"', sensitive), {
      field: 'phone_number',
      op: '=',
      value: '+1555',
    });
    assert.deepEqual(parseListUsersFilter('phone_number ^= "+48"', sensitive), {
      field: 'phone_number',
      op: '^=',
      value: '+48',
    });
  });

  it('tolerates missing or extra whitespace around the parts', () => {
    assert.deepEqual(parseListUsersFilter('sub="abc"', sensitive), { field: 'sub', op: '=', value: 'abc' });
    assert.deepEqual(parseListUsersFilter('  sub   ^=   "abc"  ', sensitive), { field: 'sub', op: '^=', value: 'abc' });
  });

  it('unescapes quotes and backslashes in the value', () => {
    assert.deepEqual(parseListUsersFilter('family_name = "O\\"Neil\\\\x"', sensitive), {
      field: 'family_name',
      op: '=',
      value: 'o"neil\\x',
    });
  });

  it('keeps spaces and operators inside the value', () => {
    assert.deepEqual(parseListUsersFilter('name = "Jon = Doe"', sensitive), {
      field: 'name',
      op: '=',
      value: 'jon = doe',
    });
  });

  it('accepts an empty value', () => {
    assert.deepEqual(parseListUsersFilter('email ^= ""', sensitive), { field: 'email', op: '^=', value: '' });
  });

  it('lowercases the case-insensitive attributes', () => {
    for (const field of ['email', 'name', 'given_name', 'family_name', 'preferred_username'] as const) {
      assert.deepEqual(parseListUsersFilter(`${field} = "MiXeD@Example.COM"`, sensitive), {
        field,
        op: '=',
        value: 'mixed@example.com',
      });
    }
  });

  it('lowercases username only in case-insensitive pools', () => {
    assert.equal(parseListUsersFilter('username = "JohnDoe"', sensitive)?.value, 'JohnDoe');
    assert.equal(parseListUsersFilter('username = "JohnDoe"', insensitive)?.value, 'johndoe');
  });

  it('uppercases cognito:user_status and keeps status as given', () => {
    assert.deepEqual(parseListUsersFilter('cognito:user_status = "force_change_password"', sensitive), {
      field: 'cognito:user_status',
      op: '=',
      value: 'FORCE_CHANGE_PASSWORD',
    });
    assert.deepEqual(parseListUsersFilter('status = "Enabled"', insensitive), {
      field: 'status',
      op: '=',
      value: 'Enabled',
    });
    assert.equal(parseListUsersFilter('status = "disabled"', insensitive)?.value, 'disabled');
  });

  it('keeps phone_number and sub as given', () => {
    assert.equal(parseListUsersFilter('sub = "ABC-def"', insensitive)?.value, 'ABC-def');
    assert.equal(parseListUsersFilter('phone_number = "+15555550100"', insensitive)?.value, '+15555550100');
  });

  it('rejects malformed filters with Cognito’s text', () => {
    for (const filter of [
      'username = foo',
      'username=',
      'username',
      '= "x"',
      'username == "x"',
      'username = "x" extra',
      'username = "unterminated',
      'username = "a" or email = "b"',
      'username != "x"',
      "username = 'x'",
      'username = "trailing backslash\\"',
    ]) {
      rejects(filter, 'Error while parsing filter.');
    }
  });

  it('rejects attributes that cannot be searched', () => {
    rejects('custom:foo = "bar"', 'Invalid search attribute: custom:foo');
    rejects('locale = "en"', 'Invalid search attribute: locale');
    rejects('Email = "a@b.c"', 'Invalid search attribute: Email');
  });
});
