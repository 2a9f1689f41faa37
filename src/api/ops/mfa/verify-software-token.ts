import { EnableSoftwareTokenMFAException, SoftwareTokenMFANotFoundException } from '../../../generated/cognito-idp/errors.js';
import type { UserRecord } from '../../../store/ports.js';
import { defineOperation } from '../../define-operation.js';
import { acceptTotpCode } from '../../../auth/totp.js';
import { sealAuthSession, spendAuthSession } from '../../../auth/session.js';
import { attemptFailed, attemptSucceeded, reserveAttempt } from '../../../auth/steps/lockout.js';
import { SETUP_VERIFIED } from '../../../auth/challenges/mfa-setup.js';
import { softwareTokenCaller } from './software-token-caller.js';

/** Cognito's answers to a wrong first code (aws-amplify-auth-starters#15), and to a user who never associated one. */
const MISMATCH = 'Code mismatch and fail enable Software Token MFA';
const NOT_ASSOCIATED = 'Software Token MFA has not been associated with the user.';

/**
 * VerifySoftwareToken: the first code from the authenticator AssociateSoftwareToken set up. A
 * right code makes the pending secret the user's authenticator (named FriendlyDeviceName) and
 * spends its step; the user then turns TOTP MFA on with SetUserMFAPreference, or, in the MFA_SETUP
 * challenge, answers it with the Session returned here. A wrong code is
 * EnableSoftwareTokenMFAException and counts toward the MFA lockout.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_VerifySoftwareToken.html
 */
export const verifySoftwareToken = defineOperation('VerifySoftwareToken', async (input, { services, sourceIp, requestId }) => {
  const caller = await softwareTokenCaller(services, input);
  const { pool, user } = caller;
  const pending = user.extra.mfa?.totpPending;
  if (pending === undefined) throw new SoftwareTokenMFANotFoundException(NOT_ASSOCIATED);
  const attempt = await reserveAttempt(services, pool, user, 'mfa');
  const step = await acceptTotpCode(services, user, pending, input.UserCode);
  if (step === undefined) {
    const { client } = caller;
    // The audit log's Lockout record names the app client; a token whose client was deleted has none.
    if (client)
      await attemptFailed({ services, pool, client, api: 'public', clientMetadata: undefined, sourceIp, requestId }, user, attempt);
    throw new EnableSoftwareTokenMFAException(MISMATCH);
  }
  await attemptSucceeded(services, attempt);
  const { totpPending: _pending, ...mfa } = user.extra.mfa ?? {};
  const verified: UserRecord = {
    ...user,
    extra: {
      ...user.extra,
      mfa: {
        ...mfa,
        totpSecret: pending,
        totpLastStep: step,
        ...(input.FriendlyDeviceName !== undefined ? { totpName: input.FriendlyDeviceName } : {}),
      },
    },
    updatedAt: services.clock.now(),
  };
  if (input.FriendlyDeviceName === undefined) delete verified.extra.mfa?.totpName;
  await services.store.users.update(verified);
  if (caller.kind === 'token') return { Status: 'SUCCESS' };
  await spendAuthSession(services, caller.state);
  const session = sealAuthSession(services, {
    pool,
    client: caller.client,
    user: verified,
    challenge: 'MFA_SETUP',
    data: { ...caller.state.data, [SETUP_VERIFIED]: true },
  });
  return { Status: 'SUCCESS', Session: session };
});
