import type { CodeDeliveryDetailsType } from '../generated/cognito-idp/shapes.js';
import { CodeMismatchException, LimitExceededException } from '../generated/cognito-idp/errors.js';
import type { UserPoolRecord, UserRecord } from '../store/ports.js';
import { maskDestination } from '../messaging/delivery.js';
import { consumeCode, decoyCodeHolder, destinationFor, sendCode, sendDecoyCode } from './codes.js';
import { invalidSession, sealAuthSession } from './session.js';
import { preAuthentication } from './steps/authentication-triggers.js';
import { assertCanSignIn } from './steps/user-status.js';
import type { AuthContext, AuthOutcome } from './types.js';

/*
 * The passwordless first factors of choice-based sign-in: a one-time code sent by email
 * (EMAIL_OTP) or SMS (SMS_OTP), answered in RespondToAuthChallenge as EMAIL_OTP_CODE / SMS_OTP_CODE.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-authentication-flow-methods.html#amazon-cognito-user-pools-authentication-flow-methods-passwordless
 */

/** The first factors that send a code. */
export type OtpFactor = 'EMAIL_OTP' | 'SMS_OTP';

/** The attribute each factor sends its code to. */
export const OTP_ATTRIBUTE = { EMAIL_OTP: 'email', SMS_OTP: 'phone_number' } as const satisfies Record<OtpFactor, 'email' | 'phone_number'>;

/** The ChallengeResponses entry that carries each factor's code. */
export const OTP_CODE_RESPONSE = { EMAIL_OTP: 'EMAIL_OTP_CODE', SMS_OTP: 'SMS_OTP_CODE' } as const satisfies Record<OtpFactor, string>;

/** Wrong codes allowed against one sign-in code; the next guess finds the sign-in over. */
export const OTP_ATTEMPTS = 3;

/** Cognito's default AuthSessionValidity, in minutes, which a sign-in code lives as long as. */
const DEFAULT_SESSION_MINUTES = 3;

/**
 * The pool's passwordless code factors (SignInPolicy.AllowedFirstAuthFactors EMAIL_OTP, SMS_OTP):
 * with any, SignUp and AdminCreateUser may create users without a password.
 */
export function passwordlessFactors(pool: UserPoolRecord): OtpFactor[] {
  const allowed = pool.config.Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? [];
  return allowed.filter(isOtpFactor);
}

export function isOtpFactor(name: string): name is OtpFactor {
  return name === 'EMAIL_OTP' || name === 'SMS_OTP';
}

/** Whether the user has somewhere to receive the factor's code (an email address, a phone number). */
export function canReceiveOtp(user: UserRecord, factor: OtpFactor): boolean {
  return destinationFor(user, OTP_ATTRIBUTE[factor]) !== undefined;
}

function purposeOf(factor: OtpFactor): `sign-in:${OtpFactor}` {
  return `sign-in:${factor}`;
}

/** A sign-in code lives exactly as long as the session that answers it. */
function codeLifetimeMs(ctx: AuthContext): number {
  return (ctx.client.config.AuthSessionValidity ?? DEFAULT_SESSION_MINUTES) * 60_000;
}

/** What a name with no user is told while user existence is hidden: a plausible masked address. */
function decoyDelivery(factor: OtpFactor, typed: string): CodeDeliveryDetailsType {
  const medium = factor === 'EMAIL_OTP' ? 'EMAIL' : 'SMS';
  const destination = medium === 'EMAIL' ? (typed.includes('@') ? typed : `${typed}@example.com`) : '+10000000000';
  return { Destination: maskDestination(medium, destination), DeliveryMedium: medium, AttributeName: OTP_ATTRIBUTE[factor] };
}

/**
 * Sends the factor's code (through src/messaging/send.ts, as CustomMessage_Authentication /
 * Custom*Sender_Authentication) and answers the challenge of the same name with
 * `CODE_DELIVERY_DELIVERY_MEDIUM` and the masked `CODE_DELIVERY_DESTINATION`. The pre
 * authentication trigger runs first, and a user who may not sign in gets no code. `subject` is the
 * user, or the decoy that stands in for an unknown name while existence is hidden: that name gets
 * a code nobody receives, under the same hourly quota.
 */
export async function sendSignInCode(
  ctx: AuthContext,
  factor: OtpFactor,
  request: { typed: string; user: UserRecord | undefined; subject: UserRecord },
): Promise<AuthOutcome> {
  const { services, pool, client } = ctx;
  const { typed, user, subject } = request;
  let details: CodeDeliveryDetailsType;
  if (user) {
    await preAuthentication(ctx, { user });
    assertCanSignIn(user);
    const to = destinationFor(user, OTP_ATTRIBUTE[factor]);
    // The callers offer the factor only to users who can receive it.
    if (!to) throw invalidSession();
    const origin = { clientId: client.clientId, ...(ctx.clientMetadata ? { clientMetadata: ctx.clientMetadata } : {}) };
    details = await sendCode(services, pool, user, purposeOf(factor), 'Authentication', to, origin, codeLifetimeMs(ctx));
  } else {
    await preAuthentication(ctx, { unknownName: typed });
    details = await sendDecoyCode(services, pool, typed, purposeOf(factor), decoyDelivery(factor, typed), codeLifetimeMs(ctx));
  }
  return {
    kind: 'challenge',
    name: factor,
    // EMAIL_OTP also names email MFA's challenge; the session says which one it answers.
    session: sealAuthSession(services, { pool, client, user: subject, challenge: factor, data: { firstFactor: true } }),
    parameters: {
      CODE_DELIVERY_DELIVERY_MEDIUM: details.DeliveryMedium ?? 'EMAIL',
      CODE_DELIVERY_DESTINATION: details.Destination ?? '',
    },
  };
}

/**
 * Checks a sign-in code and spends it: each guess is counted before the comparison (atomically,
 * in the store), a wrong one is Cognito's CodeMismatchException "Invalid code or auth state for the
 * user.", and past OTP_ATTEMPTS wrong guesses the sign-in is over (NotAuthorizedException, as for a
 * spent session): the user starts again and gets a new code. An unknown name's guesses go against
 * its decoy code, so they meet the same answers. Returns the user the code signed in.
 */
export async function checkSignInCode(
  ctx: AuthContext,
  factor: OtpFactor,
  request: { typed: string; user: UserRecord | undefined; code: string },
): Promise<UserRecord> {
  const holder = request.user ?? (await decoyCodeHolder(ctx.services, ctx.pool, request.typed));
  try {
    await consumeCode(ctx.services, ctx.pool, holder, purposeOf(factor), request.code, OTP_ATTEMPTS);
  } catch (error) {
    if (error instanceof LimitExceededException) throw invalidSession();
    if (error instanceof CodeMismatchException) throw new CodeMismatchException('Invalid code or auth state for the user.');
    throw error;
  }
  // A decoy's code can only be a lucky guess at a code nobody was sent.
  if (!request.user) throw new CodeMismatchException('Invalid code or auth state for the user.');
  return request.user;
}
