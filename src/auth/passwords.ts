import type { UserPoolRecord, UserRecord } from '../store/ports.js';
import type { Services } from '../services.js';
import { checkPasswordAgainstPolicy, type PasswordSettingOperation } from '../domain/password-policy.js';
import { hashPassword } from '../crypto/password-hash.js';
import { createVerifier, type SrpVerifier } from '../crypto/srp.js';

/** The SRP "pool name": the part of the pool ID after `_`, which every client hashes into x. */
export function srpPoolName(poolId: string): string {
  return poolId.slice(poolId.indexOf('_') + 1);
}

/** Binds a sealed SRP verifier to its pool and user, so it cannot be moved to another user. */
export function srpContext(pool: Pick<UserPoolRecord, 'id'>, user: Pick<UserRecord, 'username'>): string {
  return `srp:${pool.id}:${user.username}`;
}

/**
 * Returns the user with a new password set (not yet saved): checked against the pool's policy,
 * hashed with argon2id, and with a fresh SRP salt and verifier (a fast-hash password equivalent,
 * inherent to Cognito's SRP, so it is sealed). Every path that sets a password (SignUp,
 * AdminCreateUser, AdminSetUserPassword, ChangePassword, ConfirmForgotPassword,
 * NEW_PASSWORD_REQUIRED) goes through here.
 *
 * @param options.operation selects Cognito's wording of policy failures, which differs by operation.
 * @param options.now the time of the change; a path that creates the user passes its one reading
 *   of the clock, so that the new user's creation and modification dates are equal, as on AWS.
 * @param options.checkPolicy false skips the pool's password policy: a user migration trigger
 *   brings the legacy password over as it is, as Cognito does.
 */
export async function withNewPassword(
  services: Services,
  pool: UserPoolRecord,
  user: UserRecord,
  password: string,
  options: { operation?: PasswordSettingOperation; now?: number; checkPolicy?: boolean } = {},
): Promise<UserRecord> {
  if (options.checkPolicy !== false) checkPasswordAgainstPolicy(pool.config.Policies?.PasswordPolicy, password, options.operation);
  const now = options.now ?? services.clock.now();
  const srp = await sealedSrpVerifier(services, pool, user, password);
  return { ...user, passwordHash: await hashPassword(password), passwordChangedAt: now, updatedAt: now, extra: { ...user.extra, srp } };
}

/** A fresh SRP salt and verifier for the password, sealed for the user's `extra.srp`. */
export async function sealedSrpVerifier(
  services: Services,
  pool: Pick<UserPoolRecord, 'id'>,
  user: Pick<UserRecord, 'username'>,
  password: string,
): Promise<string> {
  const verifier = await createVerifier(srpPoolName(pool.id), user.username, password);
  return services.sealer.seal(JSON.stringify(verifier), srpContext(pool, user));
}

/** The user's SRP salt and verifier, or undefined when none was derived (no password set yet). */
export function srpVerifierOf(services: Services, pool: UserPoolRecord, user: UserRecord): SrpVerifier | undefined {
  const sealed = user.extra['srp'];
  if (typeof sealed !== 'string') return undefined;
  const opened = services.sealer.openString(sealed, srpContext(pool, user));
  return opened === null ? undefined : (JSON.parse(opened) as SrpVerifier);
}
