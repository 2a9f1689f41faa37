import type { ChallengeNameType } from '../generated/cognito-idp/shapes.js';
import type { DeviceRecord, UserRecord } from '../store/ports.js';
import type { TokenRequest } from '../tokens/issue.js';
import { MFA_FACTOR_ORDER, canAnswerMfa, poolMfaFactors, possibleMfaFactors, userMfaSettings, type MfaFactor } from '../domain/mfa.js';
import { deliveryDetails, destinationFor, sendCode, type CodeDestination } from './codes.js';
import { trackedDevice } from './devices.js';
import { sealAuthSession, type AuthSessionState } from './session.js';
import type { SignInOptions } from './flows/types.js';
import type { AuthContext, AuthOutcome } from './types.js';
import { clientOrigin } from '../triggers/events/custom-message.js';
import { riskRequiresMfa } from './threat-protection.js';

/**
 * What an MFA session carries to the step after it: the device the sign-in named (by key), and why
 * tokens will be issued. Kept in the sealed Session, so the client cannot change it.
 */
export interface MfaCarry {
  readonly deviceKey?: string;
  readonly tokenSource?: TokenRequest['source'];
}

function carryOf(options: SignInOptions): MfaCarry {
  return {
    ...(options.device ? { deviceKey: options.device.deviceKey } : {}),
    ...(options.tokenSource ? { tokenSource: options.tokenSource } : {}),
  };
}

/** Where a factor's code goes for the user (SMS to phone_number, email to email); TOTP needs none. */
function codeDestination(user: UserRecord, factor: MfaFactor): CodeDestination | undefined {
  if (factor === 'SMS_MFA') return destinationFor(user, 'phone_number');
  if (factor === 'EMAIL_OTP') return destinationFor(user, 'email');
  return undefined;
}

/**
 * The MFA step of a sign-in, once the first factor has passed, as Cognito decides it:
 *
 * - MFA OFF in the pool: none.
 * - The user's activated factors that the pool offers and the user can answer: the preferred one,
 *   or the only one; with several and no preference, SELECT_MFA_TYPE (`MFAS_CAN_CHOOSE`).
 * - None activated, and adaptive authentication asks for MFA (`riskRequiresMfa`: the sign-in's risk
 *   level takes MFA_IF_CONFIGURED or MFA_REQUIRED): the pool's factors the user can answer are
 *   treated as activated, whatever the pool's mode (the one factor, or SELECT_MFA_TYPE).
 * - None activated otherwise: in an OPTIONAL pool, none. In an ON pool, SMS or email MFA when the pool
 *   offers it and the user has the address (MFA required means every user gets a second factor),
 *   else MFA_SETUP (`MFAS_CAN_SETUP`) to enrol an authenticator app.
 *
 * Returns the challenge, or undefined when the sign-in goes on without MFA.
 */
export async function mfaStep(ctx: AuthContext, user: UserRecord, options: SignInOptions): Promise<AuthOutcome | undefined> {
  const mode = ctx.pool.config.MfaConfiguration ?? 'OFF';
  const offered = poolMfaFactors(ctx.pool.config);
  if (mode === 'OFF' || offered.length === 0) return undefined;
  const carry = carryOf(options);
  const settings = userMfaSettings(user);
  let active: readonly MfaFactor[] = settings.enabled.filter((factor) => offered.includes(factor) && canAnswerMfa(user, factor));
  if (active.length === 0 && riskRequiresMfa(ctx)) active = possibleMfaFactors(ctx.pool.config, user);
  if (active.length === 0) {
    if (mode !== 'ON') return undefined;
    const implied = (['SMS_MFA', 'EMAIL_OTP'] as const).find((factor) => offered.includes(factor) && canAnswerMfa(user, factor));
    if (implied) return mfaChallenge(ctx, user, implied, carry);
    return mfaSetupChallenge(ctx, user, offered, carry);
  }
  const chosen =
    settings.preferred !== undefined && active.includes(settings.preferred)
      ? settings.preferred
      : active.length === 1
        ? active[0]
        : undefined;
  if (chosen !== undefined) return mfaChallenge(ctx, user, chosen, carry);
  return {
    kind: 'challenge',
    name: 'SELECT_MFA_TYPE',
    session: sealAuthSession(ctx.services, { ...target(ctx, user, 'SELECT_MFA_TYPE'), data: { ...carry, choices: active } }),
    parameters: { MFAS_CAN_CHOOSE: JSON.stringify(active) },
  };
}

function target(ctx: AuthContext, user: UserRecord, challenge: ChallengeNameType) {
  return { pool: ctx.pool, client: ctx.client, user, challenge };
}

/**
 * MFA_SETUP: the user must enrol a factor before signing in. `MFAS_CAN_SETUP` lists the pool's
 * factors; the client enrols an authenticator with AssociateSoftwareToken and VerifySoftwareToken
 * on this Session, then answers MFA_SETUP with the Session VerifySoftwareToken returned.
 */
export function mfaSetupChallenge(ctx: AuthContext, user: UserRecord, offered: readonly MfaFactor[], carry: MfaCarry): AuthOutcome {
  return {
    kind: 'challenge',
    name: 'MFA_SETUP',
    session: sealAuthSession(ctx.services, { ...target(ctx, user, 'MFA_SETUP'), data: { ...carry } }),
    parameters: { MFAS_CAN_SETUP: JSON.stringify(MFA_FACTOR_ORDER.filter((f) => offered.includes(f))) },
  };
}

/**
 * The challenge of one factor. SMS_MFA and EMAIL_OTP send a code first (src/messaging/send.ts, as
 * `CustomMessage_Authentication`), valid for the session's three minutes, and name where it went
 * (`CODE_DELIVERY_DELIVERY_MEDIUM`, `CODE_DELIVERY_DESTINATION`, masked); SOFTWARE_TOKEN_MFA names
 * the authenticator (`FRIENDLY_DEVICE_NAME`) when the user gave it a name.
 */
export async function mfaChallenge(ctx: AuthContext, user: UserRecord, factor: MfaFactor, carry: MfaCarry): Promise<AuthOutcome> {
  const parameters: Record<string, string> = {};
  const to = codeDestination(user, factor);
  if (to !== undefined) {
    await sendCode(ctx.services, ctx.pool, user, 'mfa', 'Authentication', to, clientOrigin(ctx.client.clientId, ctx.clientMetadata));
    const details = deliveryDetails(to);
    parameters['CODE_DELIVERY_DELIVERY_MEDIUM'] = details.DeliveryMedium ?? to.medium;
    parameters['CODE_DELIVERY_DESTINATION'] = details.Destination ?? '';
  } else {
    const name = user.extra.mfa?.totpName;
    if (name !== undefined) parameters['FRIENDLY_DEVICE_NAME'] = name;
  }
  return {
    kind: 'challenge',
    name: factor,
    session: sealAuthSession(ctx.services, { ...target(ctx, user, factor), data: { ...carry } }),
    parameters,
  };
}

/** What an MFA session carried (see {@link MfaCarry}), read back. */
export function mfaCarryOf(state: AuthSessionState): MfaCarry {
  const data = state.data ?? {};
  const deviceKey = data['deviceKey'];
  const tokenSource = data['tokenSource'];
  return {
    ...(typeof deviceKey === 'string' ? { deviceKey } : {}),
    ...(typeof tokenSource === 'string' ? { tokenSource: tokenSource as TokenRequest['source'] } : {}),
  };
}

/**
 * The sign-in options to go on with after the second factor: the carried device, if the user
 * still has it tracked (a device forgotten meanwhile is dropped, and the sign-in gets a new one),
 * the token source, and that MFA is done.
 */
export async function afterMfa(ctx: AuthContext, user: UserRecord, carry: MfaCarry): Promise<SignInOptions> {
  let device: DeviceRecord | undefined;
  if (carry.deviceKey !== undefined) device = await trackedDevice(ctx.services, user, carry.deviceKey);
  return {
    ...(device ? { device } : {}),
    ...(carry.tokenSource ? { tokenSource: carry.tokenSource } : {}),
    mfaDone: true,
  };
}
