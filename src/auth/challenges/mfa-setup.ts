import { InvalidParameterException } from '../../generated/cognito-idp/errors.js';
import { userMfaSettings, withMfaSettings } from '../../domain/mfa.js';
import { afterMfa, mfaCarryOf } from '../mfa.js';
import { spendAuthSession } from '../session.js';
import type { ChallengeHandler } from './types.js';
import { openChallengeSession } from './session.js';
import { mfaAnswerUser } from './mfa-answer.js';

/** What VerifySoftwareToken marks in the MFA_SETUP session it returns. */
export const SETUP_VERIFIED = 'totpVerified';

/**
 * Answers MFA_SETUP with USERNAME and the Session that VerifySoftwareToken returned once the new
 * authenticator's code matched: TOTP MFA becomes the user's (and their preferred factor, when
 * they had none), and the sign-in goes on past MFA, as Cognito ends the setup with tokens. A
 * session that has not been through VerifySoftwareToken is refused (best-guess wording).
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-mfa-totp.html
 */
export const mfaSetup: ChallengeHandler = {
  name: 'MFA_SETUP',
  async respond(ctx, { responses, session }, next) {
    const { services } = ctx;
    const state = openChallengeSession(ctx, session, 'MFA_SETUP');
    const user = await mfaAnswerUser(ctx, state, responses);
    if (state.data?.[SETUP_VERIFIED] !== true || user.extra.mfa?.totpSecret === undefined) {
      throw new InvalidParameterException(
        'Software token has not been verified for the user. Call VerifySoftwareToken with this session first.',
      );
    }
    await spendAuthSession(services, state);
    const settings = userMfaSettings(user);
    const enrolled = withMfaSettings(user, {
      enabled: [...settings.enabled, 'SOFTWARE_TOKEN_MFA'],
      preferred: settings.preferred ?? 'SOFTWARE_TOKEN_MFA',
    });
    await services.store.users.update(enrolled);
    return next(ctx, enrolled, await afterMfa(ctx, enrolled, mfaCarryOf(state)));
  },
};
