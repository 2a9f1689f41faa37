import { NotAuthorizedException, PasswordResetRequiredException, UserNotConfirmedException } from '../../generated/cognito-idp/errors.js';
import type { UserPoolRecord, UserRecord } from '../../store/ports.js';

const DAY_MS = 86_400_000;
/** Cognito's default life of a temporary password, in days. */
const DEFAULT_TEMPORARY_PASSWORD_DAYS = 7;

export function userDisabled(): NotAuthorizedException {
  return new NotAuthorizedException('User is disabled.');
}

/**
 * Refuses a user whose password was right but who may not sign in: disabled, not confirmed, or due
 * a password reset.
 */
export function assertCanSignIn(user: UserRecord): void {
  if (!user.enabled) throw userDisabled();
  if (user.status === 'UNCONFIRMED') throw new UserNotConfirmedException('User is not confirmed.');
  if (user.status === 'RESET_REQUIRED') throw new PasswordResetRequiredException('Password reset required for the user');
}

/**
 * Refuses a user due a password reset who has no password at all (imported from a CSV file, or
 * created by a user migration's ForgotPassword): whatever is typed or proved, Cognito tells the app
 * to have the user reset the password, so an app (Amplify's signIn) can go to the reset step.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-using-import-tool-password-reset.html
 */
export function assertNotAwaitingFirstPassword(user: UserRecord): void {
  if (user.passwordHash === null && user.status === 'RESET_REQUIRED') {
    throw new PasswordResetRequiredException('Password reset required for the user');
  }
}

/**
 * How long a temporary password (FORCE_CHANGE_PASSWORD) stays usable: the password policy's
 * TemporaryPasswordValidityDays, which replaced AdminCreateUserConfig.UnusedAccountValidityDays.
 */
export function temporaryPasswordValidityMs(pool: UserPoolRecord): number {
  const c = pool.config;
  const days =
    c.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays ??
    c.AdminCreateUserConfig?.UnusedAccountValidityDays ??
    DEFAULT_TEMPORARY_PASSWORD_DAYS;
  return days * DAY_MS;
}

/** Refuses a temporary password older than the pool allows; only an administrator can issue a new one. */
export function assertTemporaryPasswordFresh(pool: UserPoolRecord, user: UserRecord, now: number): void {
  const setAt = user.passwordChangedAt ?? user.createdAt;
  if (now - setAt > temporaryPasswordValidityMs(pool)) {
    throw new NotAuthorizedException('Temporary password has expired and must be reset by an administrator.');
  }
}
