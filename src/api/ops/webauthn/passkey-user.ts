import { PasswordResetRequiredException } from '../../../generated/cognito-idp/errors.js';
import type { UserRecord } from '../../../store/ports.js';

/** A user due a password reset may not manage passkeys (the operations list PasswordResetRequiredException). */
export function assertMayManagePasskeys(user: UserRecord): void {
  if (user.status === 'RESET_REQUIRED') throw new PasswordResetRequiredException('Password reset required for the user');
}
