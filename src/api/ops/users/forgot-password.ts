import { defineOperation } from '../../define-operation.js';
import { InvalidParameterException, NotAuthorizedException, UserNotFoundException } from '../../../generated/cognito-idp/errors.js';
import type { UserPoolRecord, UserRecord } from '../../../store/ports.js';
import { destinationFor, sendCode, sendDecoyCode, type CodeDestination } from '../../../auth/codes.js';
import type { CodeDeliveryDetailsType } from '../../../generated/cognito-idp/shapes.js';
import { USER_NOT_FOUND_MESSAGE, hidesUserExistence, publicTarget, simulatedDelivery, type PublicTarget } from './shared.js';
import { migratesUsers, migrateUser, migrationRefused } from '../../../auth/migrate-user.js';
import type { Services } from '../../../services.js';
import { clientOrigin } from '../../../triggers/events/custom-message.js';
import { userMfaSettings } from '../../../domain/mfa.js';

function verifiedEmail(user: UserRecord): CodeDestination | undefined {
  return user.attributes['email_verified'] === 'true' ? destinationFor(user, 'email') : undefined;
}

function verifiedPhone(user: UserRecord): CodeDestination | undefined {
  return user.attributes['phone_number_verified'] === 'true' ? destinationFor(user, 'phone_number') : undefined;
}

function usesSmsMfa(user: UserRecord): boolean {
  return userMfaSettings(user).enabled.includes('SMS_MFA');
}

/**
 * Where a reset code goes. With AccountRecoverySetting, the first of its mechanisms by priority
 * that the user can receive (SMS is not a recovery channel for a user with SMS MFA; `admin_only`
 * allows none). Without it, Cognito's legacy order: a verified phone, then a verified email.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/how-to-recover-a-user-account.html
 */
export function recoveryDestination(pool: UserPoolRecord, user: UserRecord): CodeDestination | undefined {
  const mechanisms = pool.config.AccountRecoverySetting?.RecoveryMechanisms;
  if (!mechanisms || mechanisms.length === 0) return verifiedPhone(user) ?? verifiedEmail(user);
  for (const mechanism of [...mechanisms].sort((a, b) => a.Priority - b.Priority)) {
    if (mechanism.Name === 'admin_only') return undefined;
    const to = mechanism.Name === 'verified_email' ? verifiedEmail(user) : usesSmsMfa(user) ? undefined : verifiedPhone(user);
    if (to) return to;
  }
  return undefined;
}

/**
 * An unknown name in a pool with a user migration trigger: the handler is asked
 * (UserMigration_ForgotPassword, no password, ForgotPassword's ClientMetadata) and the user it
 * describes is created, due a reset, so that the code goes to the verified email or phone it gave.
 */
async function migrateForReset(
  services: Services,
  target: PublicTarget,
  typed: string,
  clientMetadata: Record<string, string> | undefined,
): Promise<UserRecord | undefined> {
  if (!migratesUsers(target.pool)) return undefined;
  return migrateUser(services, target.pool, target.client, {
    triggerSource: 'UserMigration_ForgotPassword',
    userName: typed,
    clientMetadata,
  });
}

const NO_DESTINATION = 'Cannot reset password for the user as there is no registered/verified email or phone_number';

/**
 * ForgotPassword: sends a password-reset code (valid one hour) to the user's recovery destination.
 * Only verified attributes receive it; without one, InvalidParameterException (captured text).
 * A disabled user is NotAuthorizedException "User is disabled.", a user created by an admin who
 * never signed in "User password cannot be reset in the current state." (both captured).
 *
 * A name that matches no user may be migrated first (see `migrateForReset`); a refusal answers as
 * an unknown user does, with Cognito's failed-migration text when existence is not hidden.
 *
 * Clients that hide user existence answer an unknown or disabled user, or one with nowhere to
 * send a code, with a simulated delivery and send nothing (Developer Guide, "Managing error
 * responses"); a code nobody receives is stored for the name under the same hourly quota, so the
 * quota and ConfirmForgotPassword answer as they do for a user.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ForgotPassword.html
 */
export const forgotPassword = defineOperation('ForgotPassword', async (input, { services }) => {
  const target = await publicTarget(services, input.ClientId, input.Username, input.SecretHash);
  const { client, pool } = target;
  const hides = hidesUserExistence(client);
  const user = target.user ?? (await migrateForReset(services, target, input.Username, input.ClientMetadata));
  const simulated = async (): Promise<{ CodeDeliveryDetails: CodeDeliveryDetailsType }> => ({
    CodeDeliveryDetails: await sendDecoyCode(
      services,
      pool,
      input.Username,
      'forgot-password',
      simulatedDelivery(pool, input.Username, 'recovery'),
    ),
  });
  if (!user) {
    if (hides) return simulated();
    throw migratesUsers(pool) ? migrationRefused(client) : new UserNotFoundException(USER_NOT_FOUND_MESSAGE);
  }
  if (!user.enabled) {
    if (hides) return simulated();
    throw new NotAuthorizedException('User is disabled.');
  }
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    throw new NotAuthorizedException('User password cannot be reset in the current state.');
  }
  const to = recoveryDestination(pool, user);
  if (!to) {
    if (hides) return simulated();
    // Best guess for `admin_only` too: no self-service channel is the same answer.
    throw new InvalidParameterException(NO_DESTINATION);
  }
  return {
    CodeDeliveryDetails: await sendCode(
      services,
      pool,
      user,
      'forgot-password',
      'ForgotPassword',
      to,
      clientOrigin(input.ClientId, input.ClientMetadata),
    ),
  };
});
