import { defineOperation } from '../../define-operation.js';
import { newSealedTotpSecret } from '../../../auth/totp.js';
import { sealAuthSession, spendAuthSession } from '../../../auth/session.js';
import { softwareTokenCaller } from './software-token-caller.js';

/**
 * AssociateSoftwareToken: a new TOTP secret for the user's authenticator app (base32, RFC 6238),
 * kept sealed as the user's pending secret until VerifySoftwareToken confirms it; an authenticator
 * already verified keeps working until then. Called with an MFA_SETUP Session, it answers a new
 * Session for VerifySoftwareToken, and the old one is spent.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AssociateSoftwareToken.html
 */
export const associateSoftwareToken = defineOperation('AssociateSoftwareToken', async (input, { services }) => {
  const caller = await softwareTokenCaller(services, input);
  const { secret, sealed } = newSealedTotpSecret(services);
  const { user } = caller;
  await services.store.users.update({
    ...user,
    extra: { ...user.extra, mfa: { ...user.extra.mfa, totpPending: sealed } },
    updatedAt: services.clock.now(),
  });
  if (caller.kind === 'token') return { SecretCode: secret };
  await spendAuthSession(services, caller.state);
  const session = sealAuthSession(services, {
    pool: caller.pool,
    client: caller.client,
    user,
    challenge: 'MFA_SETUP',
    ...(caller.state.data ? { data: caller.state.data } : {}),
  });
  return { SecretCode: secret, Session: session };
});
