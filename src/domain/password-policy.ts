import type { PasswordPolicyType } from '../generated/cognito-idp/shapes.js';
import { InvalidPasswordException } from '../generated/cognito-idp/errors.js';

/**
 * The password policy Cognito gives a pool created without `Policies.PasswordPolicy`, as
 * DescribeUserPool reports it (8 characters, all four character classes, temporary passwords valid
 * for 7 days). Seen in real DescribeUserPool output, e.g. `kengraf/nadialin` file `b` and
 * https://github.com/aws-amplify/amplify-js/issues/9349.
 */
export const DEFAULT_PASSWORD_POLICY: Required<
  Pick<
    PasswordPolicyType,
    'MinimumLength' | 'RequireUppercase' | 'RequireLowercase' | 'RequireNumbers' | 'RequireSymbols' | 'TemporaryPasswordValidityDays'
  >
> = Object.freeze({
  MinimumLength: 8,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
  TemporaryPasswordValidityDays: 7,
});

/** The longest password Cognito accepts, whatever the policy (Developer Guide, quotas page). */
export const MAX_PASSWORD_LENGTH = 256;

/**
 * Cognito's "special characters" (Developer Guide, user-pool-settings-policies): ^ $ * . [ ] { } ( )
 * ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + - and the space. The console tooltip narrows the space
 * to a non-leading, non-trailing one; leading and trailing whitespace is rejected before the
 * symbol check runs, so any space that reaches it is an inner one.
 */
const SYMBOLS = new Set('^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- ');

/**
 * Which wording Cognito uses depends on the operation that sets the password. Real responses:
 * - SignUp: `Password did not conform with policy: Password not long enough`
 *   (https://github.com/aws-amplify/amplify-js/issues/2416).
 * - AdminCreateUser (TemporaryPassword): `Password did not conform with password policy: Password
 *   must have numeric characters` (https://github.com/data-dot-all/dataall/issues/690).
 * - ConfirmForgotPassword, ChangePassword and the other "set a new password" paths:
 *   `Password does not conform to policy: Password not long enough` — seen only in application code
 *   that matches Cognito's text (e.g. error tables keyed by message) and in an AWS-mocking test of
 *   ConfirmForgotPassword, not in a captured response; AdminSetUserPassword and the
 *   NEW_PASSWORD_REQUIRED challenge are assumed to share it (best guess).
 */
export type PasswordSettingOperation =
  'SignUp' | 'AdminCreateUser' | 'AdminSetUserPassword' | 'ChangePassword' | 'ConfirmForgotPassword' | 'RespondToAuthChallenge';

/** The message prefix Cognito puts before the failed rule for `operation`. */
export function passwordPolicyMessagePrefix(operation: PasswordSettingOperation): string {
  switch (operation) {
    case 'SignUp':
      return 'Password did not conform with policy: ';
    case 'AdminCreateUser':
      return 'Password did not conform with password policy: ';
    default:
      return 'Password does not conform to policy: ';
  }
}

/**
 * Checks `password` against the pool's policy and throws `InvalidPasswordException` naming the first
 * rule it breaks, as Cognito reports one rule at a time
 * (https://github.com/amazon-archives/amazon-cognito-identity-js/issues/414).
 *
 * With no policy the defaults apply. With a policy, an absent `Require*` flag counts as false, which
 * is what Cognito stores when CreateUserPool is given a partial policy
 * (https://github.com/boto/boto3/issues/2516 shows the flags false); an absent MinimumLength counts
 * as the default 8.
 *
 * Rule order: length first (the brief and every report agree), then the leading/trailing-space
 * rule, then uppercase, lowercase, numbers, symbols — the order of PasswordPolicyType's members.
 * Only the length-first part is evidenced; the rest is a best guess.
 *
 * Lengths count UTF-16 code units, as the API's `Member must have length` checks do.
 *
 * @param operation selects Cognito's message wording (see {@link PasswordSettingOperation});
 *   defaults to SignUp's.
 */
export function checkPasswordAgainstPolicy(
  policy: PasswordPolicyType | undefined,
  password: string,
  operation: PasswordSettingOperation = 'SignUp',
): void {
  const rules = policy === undefined ? DEFAULT_PASSWORD_POLICY : explicitPolicy(policy);
  const prefix = passwordPolicyMessagePrefix(operation);
  const fail = (rule: string): never => {
    throw new InvalidPasswordException(prefix + rule);
  };

  if (password.length < rules.MinimumLength) fail('Password not long enough');
  // Best guess: no captured text exists, because the API's own length check (PasswordType, max
  // 256) answers first. This path is only reachable from callers that skip model validation.
  if (password.length > MAX_PASSWORD_LENGTH) fail('Password too long');
  // Cognito's wording for a password that starts or ends with whitespace, from application error
  // tables keyed by Cognito's message; the pattern is quoted exactly as Cognito prints it.
  if (/^\s|\s$/u.test(password)) fail('Password must satisfy regular expression pattern: ^\\S.*\\S$');
  // "Basic Latin" letters only (Developer Guide): an accented capital is not an uppercase letter.
  if (rules.RequireUppercase && !/[A-Z]/.test(password)) fail('Password must have uppercase characters');
  if (rules.RequireLowercase && !/[a-z]/.test(password)) fail('Password must have lowercase characters');
  if (rules.RequireNumbers && !/[0-9]/.test(password)) fail('Password must have numeric characters');
  if (rules.RequireSymbols && ![...password].some((c) => SYMBOLS.has(c))) {
    fail('Password must have symbol characters');
  }
}

interface EffectiveRules {
  MinimumLength: number;
  RequireUppercase: boolean;
  RequireLowercase: boolean;
  RequireNumbers: boolean;
  RequireSymbols: boolean;
}

function explicitPolicy(policy: PasswordPolicyType): EffectiveRules {
  return {
    MinimumLength: policy.MinimumLength ?? DEFAULT_PASSWORD_POLICY.MinimumLength,
    RequireUppercase: policy.RequireUppercase ?? false,
    RequireLowercase: policy.RequireLowercase ?? false,
    RequireNumbers: policy.RequireNumbers ?? false,
    RequireSymbols: policy.RequireSymbols ?? false,
  };
}
