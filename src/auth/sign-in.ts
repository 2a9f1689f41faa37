import type { UserRecord } from '../store/ports.js';
import type { AuthContext, AuthOutcome } from './types.js';
import type { SignInOptions } from './flows/types.js';
import { newPasswordRequiredChallenge } from './challenges/new-password-required.js';
import { deviceSrpAuthChallenge } from './challenges/device-srp-auth.js';
import { authenticatesDevice } from './steps/devices.js';
import { assertTemporaryPasswordFresh } from './steps/user-status.js';
import { signedIn } from './steps/tokens.js';
import { postAuthentication } from './steps/authentication-triggers.js';
import { mfaStep } from './mfa.js';
import { assessSignInRisk } from './threat-protection.js';

/**
 * What follows primary authentication (a right password, an SRP proof, a custom challenge): a
 * temporary password must be replaced first; then the second factor (src/auth/mfa.ts), which a
 * remembered device skips when the pool's DeviceConfiguration.ChallengeRequiredOnNewDevice is
 * true; then a remembered device proves itself (DEVICE_SRP_AUTH); then the sign-in completes with
 * the post authentication trigger and tokens.
 */
export async function continueSignIn(ctx: AuthContext, user: UserRecord, options: SignInOptions = {}): Promise<AuthOutcome> {
  // Adaptive authentication judges every sign-in once its first factor has passed (once: not
  // again when the sign-in comes back here after its second factor).
  if (!options.mfaDone) await assessSignInRisk(ctx, user, options);
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    assertTemporaryPasswordFresh(ctx.pool, user, ctx.services.clock.now());
    return newPasswordRequiredChallenge(ctx, user);
  }
  const device = options.device;
  const remembered = device !== undefined && authenticatesDevice(ctx.services, device);
  // A remembered device stands in for the second factor only where the pool says so. Managed
  // login gets the challenge too, and, having no MFA pages yet, refuses it rather than skip it.
  if (!options.mfaDone && !(remembered && ctx.pool.config.DeviceConfiguration?.ChallengeRequiredOnNewDevice === true)) {
    const challenge = await mfaStep(ctx, user, options);
    if (challenge) return challenge;
  }
  // Managed login tracks no devices; the authorization endpoints issue its tokens.
  if (ctx.api === 'hosted') {
    await postAuthentication(ctx, user, false);
    return { kind: 'signed-in', user, authTime: ctx.services.clock.now() };
  }
  if (device && remembered) return deviceSrpAuthChallenge(ctx, user, device);
  return signedIn(ctx, user, { ...(device ? { device } : {}), ...(options.tokenSource ? { source: options.tokenSource } : {}) });
}
