import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_PASSWORD_POLICY,
  MAX_PASSWORD_LENGTH,
  checkPasswordAgainstPolicy,
  passwordPolicyMessagePrefix,
} from '../../src/domain/password-policy.js';
import type { PasswordSettingOperation } from '../../src/domain/password-policy.js';
import type { PasswordPolicyType } from '../../src/generated/cognito-idp/shapes.js';

/** Asserts that the check throws InvalidPasswordException with exactly `message`. */
function rejects(policy: PasswordPolicyType | undefined, password: string, message: string, operation?: PasswordSettingOperation): void {
  assert.throws(
    () => checkPasswordAgainstPolicy(policy, password, operation),
    (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.equal((error as { type?: string }).type, 'InvalidPasswordException');
      assert.equal((error as { status?: number }).status, 400);
      assert.equal(error.message, message);
      return true;
    },
  );
}

const SIGN_UP = 'Password did not conform with policy: ';

describe('DEFAULT_PASSWORD_POLICY', () => {
  it('is what DescribeUserPool shows for a pool created without a policy', () => {
    assert.deepEqual(DEFAULT_PASSWORD_POLICY, {
      MinimumLength: 8,
      RequireUppercase: true,
      RequireLowercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
      TemporaryPasswordValidityDays: 7,
    });
  });

  it('cannot be changed by a caller', () => {
    assert.ok(Object.isFrozen(DEFAULT_PASSWORD_POLICY));
  });
});

describe('checkPasswordAgainstPolicy', () => {
  it('accepts a password meeting the default policy', () => {
    assert.doesNotThrow(() => checkPasswordAgainstPolicy(undefined, 'Passw0rd!'));
  });

  it('reports a short password before anything else', () => {
    rejects(undefined, 'abc', `${SIGN_UP}Password not long enough`);
  });

  it('reports each missing character class with Cognito’s text', () => {
    rejects(undefined, 'passw0rd!', `${SIGN_UP}Password must have uppercase characters`);
    rejects(undefined, 'PASSW0RD!', `${SIGN_UP}Password must have lowercase characters`);
    rejects(undefined, 'Password!', `${SIGN_UP}Password must have numeric characters`);
    rejects(undefined, 'Passw0rdX', `${SIGN_UP}Password must have symbol characters`);
  });

  it('reports one rule at a time, uppercase before lowercase before numbers before symbols', () => {
    rejects(undefined, '12345678', `${SIGN_UP}Password must have uppercase characters`);
    rejects(undefined, 'ABCDEFGH', `${SIGN_UP}Password must have lowercase characters`);
    rejects(undefined, 'ABCDefgh', `${SIGN_UP}Password must have numeric characters`);
  });

  it('accepts every documented symbol', () => {
    for (const symbol of '^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+-') {
      assert.doesNotThrow(() => checkPasswordAgainstPolicy(undefined, `Passw0rd${symbol}`), symbol);
    }
  });

  it('counts an inner space as a symbol', () => {
    assert.doesNotThrow(() => checkPasswordAgainstPolicy(undefined, 'Pass w0rd'));
  });

  it('does not count other punctuation or non-ASCII characters as symbols', () => {
    rejects(undefined, 'Passw0rd€', `${SIGN_UP}Password must have symbol characters`);
  });

  it('counts only Basic Latin letters as upper or lower case', () => {
    rejects({ MinimumLength: 6, RequireUppercase: true }, 'éééé1!É', `${SIGN_UP}Password must have uppercase characters`);
  });

  it('rejects leading or trailing whitespace with Cognito’s pattern text', () => {
    const message = `${SIGN_UP}Password must satisfy regular expression pattern: ^\\S.*\\S$`;
    rejects(undefined, ' Passw0rd!', message);
    rejects(undefined, 'Passw0rd! ', message);
  });

  it('rejects passwords over 256 characters', () => {
    const long = `Aa1!${'x'.repeat(MAX_PASSWORD_LENGTH - 3)}`;
    assert.equal(long.length, MAX_PASSWORD_LENGTH + 1);
    rejects(undefined, long, `${SIGN_UP}Password too long`);
    assert.doesNotThrow(() => checkPasswordAgainstPolicy(undefined, long.slice(0, MAX_PASSWORD_LENGTH)));
  });

  it('applies the pool’s own minimum length', () => {
    rejects({ MinimumLength: 12 }, 'Passw0rd!', `${SIGN_UP}Password not long enough`);
    assert.doesNotThrow(() => checkPasswordAgainstPolicy({ MinimumLength: 6 }, 'abcdef'));
  });

  it('treats an absent Require* flag of an explicit policy as false', () => {
    assert.doesNotThrow(() => checkPasswordAgainstPolicy({ MinimumLength: 8 }, 'abcdefgh'));
    assert.doesNotThrow(() => checkPasswordAgainstPolicy({}, 'abcdefgh'));
    rejects({}, 'abcdefg', `${SIGN_UP}Password not long enough`);
  });

  it('honours explicit flags', () => {
    const policy: PasswordPolicyType = {
      MinimumLength: 6,
      RequireUppercase: false,
      RequireLowercase: true,
      RequireNumbers: true,
      RequireSymbols: false,
    };
    assert.doesNotThrow(() => checkPasswordAgainstPolicy(policy, 'abc123'));
    rejects(policy, 'abcdef', `${SIGN_UP}Password must have numeric characters`);
  });

  it('uses each operation’s wording', () => {
    rejects(undefined, 'short', 'Password did not conform with policy: Password not long enough', 'SignUp');
    rejects(
      undefined,
      'PASSWORD1!',
      'Password did not conform with password policy: Password must have lowercase characters',
      'AdminCreateUser',
    );
    for (const operation of ['ChangePassword', 'ConfirmForgotPassword', 'AdminSetUserPassword', 'RespondToAuthChallenge'] as const) {
      rejects(undefined, 'short', 'Password does not conform to policy: Password not long enough', operation);
      assert.equal(passwordPolicyMessagePrefix(operation), 'Password does not conform to policy: ');
    }
  });
});
