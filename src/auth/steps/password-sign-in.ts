import type { UserRecord } from '../../store/ports.js';
import type { ContinueSignIn } from '../flows/types.js';
import type { AuthContext, AuthOutcome } from '../types.js';
import { preAuthentication } from './authentication-triggers.js';
import { resolveSignInDevice } from './devices.js';
import { checkUserPassword } from './password.js';
import { unknownUser } from './unknown-user.js';
import { assertCanSignIn } from './user-status.js';

/**
 * Signs in with a password in clear (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH's
 * PASSWORD factor, managed login): the pre authentication trigger, then the password under the
 * lockout rules, the user's state, and DEVICE_KEY (a remembered device goes on to
 * DEVICE_SRP_AUTH). The pre authentication trigger hears of an unknown name (`userNotFound`)
 * only while user-existence errors are hidden.
 */
export async function signInWithPassword(
  ctx: AuthContext,
  request: { typed: string; user: UserRecord | undefined; password: string; deviceKey: string | undefined },
  next: ContinueSignIn,
): Promise<AuthOutcome> {
  const { typed, user, password } = request;
  if (!user) {
    if (ctx.client.config.PreventUserExistenceErrors === 'ENABLED') await preAuthentication(ctx, { unknownName: typed });
    return unknownUser(ctx, typed, password);
  }
  await preAuthentication(ctx, { user });
  await checkUserPassword(ctx, user, password);
  assertCanSignIn(user);
  const device = await resolveSignInDevice(ctx, user, request.deviceKey);
  return next(ctx, user, device ? { device } : {});
}
