import type { UserRecord } from '../../store/ports.js';
import type { ContinueSignIn } from '../flows/types.js';
import { migratesUsers, migrateUser, migrationRefused } from '../migrate-user.js';
import type { AuthContext, AuthOutcome } from '../types.js';
import { preAuthentication } from './authentication-triggers.js';
import { decoyIdentity } from './decoy.js';
import { resolveSignInDevice } from './devices.js';
import { attemptSucceeded, reserveAttempt } from './lockout.js';
import { checkUserPassword, incorrectCredentials } from './password.js';
import { unknownUser } from './unknown-user.js';
import { assertCanSignIn } from './user-status.js';
import { checkSignInPassword } from '../threat-protection.js';

function hidesUserExistence(ctx: AuthContext): boolean {
  return ctx.client.config.PreventUserExistenceErrors === 'ENABLED';
}

/**
 * A name that matches no user, signing in with a password. With a user migration trigger, the
 * handler is asked (UserMigration_Authentication, the password, and InitiateAuth's ClientMetadata
 * as `validationData` or a RespondToAuthChallenge's as `clientMetadata`) and the user it describes signs in at once: the handler vouched for the
 * password. A refusal answers as an unknown user does: "Incorrect username or password." counted
 * toward the name's lockout while user-existence errors are hidden (the attempt is reserved before
 * the handler runs, so a locked-out name never reaches it), otherwise Cognito's
 * UserNotFoundException for a failed migration. Without the trigger, the unknown-user answer; the
 * pre authentication trigger hears of the name (`userNotFound`) only while existence is hidden.
 */
async function unknownPasswordUser(ctx: AuthContext, typed: string, password: string, next: ContinueSignIn): Promise<AuthOutcome> {
  const hides = hidesUserExistence(ctx);
  if (!migratesUsers(ctx.pool)) {
    if (hides) await preAuthentication(ctx, { unknownName: typed });
    return unknownUser(ctx, typed, password);
  }
  const attempt = hides ? await reserveAttempt(ctx.services, ctx.pool, await decoyIdentity(ctx.services, ctx.pool, typed)) : undefined;
  const migrated = await migrateUser(ctx.services, ctx.pool, ctx.client, {
    triggerSource: 'UserMigration_Authentication',
    userName: typed,
    password,
    validationData: ctx.validationData,
    clientMetadata: ctx.clientMetadata,
  });
  if (!migrated) {
    if (!hides) throw migrationRefused(ctx.client);
    await preAuthentication(ctx, { unknownName: typed });
    throw incorrectCredentials();
  }
  if (attempt) await attemptSucceeded(ctx.services, attempt);
  await preAuthentication(ctx, { user: migrated });
  assertCanSignIn(migrated);
  return next(ctx, migrated);
}

/**
 * Signs in with a password in clear (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH's
 * PASSWORD factor, managed login): the pre authentication trigger, then the password under the
 * lockout rules, the user's state, and DEVICE_KEY (a remembered device goes on to
 * DEVICE_SRP_AUTH). An unknown name may be migrated from a legacy directory first.
 */
export async function signInWithPassword(
  ctx: AuthContext,
  request: { typed: string; user: UserRecord | undefined; password: string; deviceKey: string | undefined },
  next: ContinueSignIn,
): Promise<AuthOutcome> {
  const { typed, user, password } = request;
  if (!user) return unknownPasswordUser(ctx, typed, password, next);
  await preAuthentication(ctx, { user });
  await checkUserPassword(ctx, user, password);
  await checkSignInPassword(ctx, password);
  assertCanSignIn(user);
  const device = await resolveSignInDevice(ctx, user, request.deviceKey);
  return next(ctx, user, device ? { device } : {});
}
