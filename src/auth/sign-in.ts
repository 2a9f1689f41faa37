import type { UserRecord } from '../store/ports.js';
import type { AuthContext, AuthOutcome } from './types.js';
import type { SignInOptions } from './flows/types.js';
import { newPasswordRequiredChallenge } from './challenges/new-password-required.js';
import { deviceSrpAuthChallenge } from './challenges/device-srp-auth.js';
import { authenticatesDevice } from './steps/devices.js';
import { assertTemporaryPasswordFresh } from './steps/user-status.js';
import { signedIn } from './steps/tokens.js';
import { postAuthentication } from './steps/authentication-triggers.js';
import { assessSignInRisk } from './threat-protection.js';

/**
 * What follows primary authentication (a right password, an SRP proof, later a custom
 * challenge): a temporary password must be replaced first; a remembered device then proves
 * itself (DEVICE_SRP_AUTH); then the sign-in completes with the post authentication trigger and
 * tokens. MFA slots in between the two first steps; a proven remembered device will skip it.
 */
export async function continueSignIn(ctx: AuthContext, user: UserRecord, options: SignInOptions = {}): Promise<AuthOutcome> {
  // Adaptive authentication judges every sign-in once its first factor has passed.
  await assessSignInRisk(ctx, user, options);
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    assertTemporaryPasswordFresh(ctx.pool, user, ctx.services.clock.now());
    return newPasswordRequiredChallenge(ctx, user);
  }
  // Managed login tracks no devices; the authorization endpoints issue its tokens.
  if (ctx.api === 'hosted') {
    await postAuthentication(ctx, user, false);
    return { kind: 'signed-in', user, authTime: ctx.services.clock.now() };
  }
  const device = options.device;
  if (device && authenticatesDevice(ctx.services, device)) return deviceSrpAuthChallenge(ctx, user, device);
  return signedIn(ctx, user, { ...(device ? { device } : {}), ...(options.tokenSource ? { source: options.tokenSource } : {}) });
}
