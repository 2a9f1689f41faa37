import type { UserPoolRecord, UserRecord } from '../store/ports.js';
import type { Services } from '../services.js';
import { checkPasswordAgainstPolicy } from '../domain/password-policy.js';
import { hashPassword } from '../crypto/password-hash.js';

/**
 * Returns the user with a new password set (not yet saved): checked against the pool's policy,
 * hashed with argon2id. Every path that sets a password (SignUp, AdminCreateUser,
 * AdminSetUserPassword, ChangePassword, ConfirmForgotPassword, NEW_PASSWORD_REQUIRED) goes
 * through here, so the SRP verifier can be derived in this one place too.
 */
export async function withNewPassword(services: Services, pool: UserPoolRecord, user: UserRecord, password: string): Promise<UserRecord> {
  checkPasswordAgainstPolicy(pool.config.Policies?.PasswordPolicy, password);
  const now = services.clock.now();
  return { ...user, passwordHash: await hashPassword(password), passwordChangedAt: now, updatedAt: now };
}
