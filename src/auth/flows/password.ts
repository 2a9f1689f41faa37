import { resolveUser } from '../resolve-user.js';
import { checkSecretHash } from '../steps/secret-hash.js';
import { optionalParameter, requireParameter } from '../steps/parameters.js';
import { checkUserPassword } from '../steps/password.js';
import { assertCanSignIn } from '../steps/user-status.js';
import { unknownUser } from '../steps/unknown-user.js';
import { resolveSignInDevice } from '../steps/devices.js';
import type { AuthFlowHandler } from './types.js';

/**
 * USER_PASSWORD_AUTH (InitiateAuth) and ADMIN_USER_PASSWORD_AUTH / legacy ADMIN_NO_SRP_AUTH
 * (AdminInitiateAuth): the password in clear, checked against the stored argon2id hash.
 *
 * Order: parameters, user resolution (username, alias or sub), SECRET_HASH (of the typed name or
 * the internal username), the unknown-user answer, lockout and password, the user's state, then
 * DEVICE_KEY (a remembered device goes on to DEVICE_SRP_AUTH).
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-authentication-flow-methods.html#amazon-cognito-user-pools-authentication-flow-methods-password
 */
export const passwordFlow: AuthFlowHandler = {
  flows: ['USER_PASSWORD_AUTH', 'ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'],
  async start(ctx, parameters, next) {
    const username = requireParameter(parameters, 'USERNAME');
    const password = requireParameter(parameters, 'PASSWORD');
    const user = await resolveUser(ctx.services, ctx.pool, username);
    checkSecretHash(ctx.client, optionalParameter(parameters, 'SECRET_HASH'), user ? [username, user.username] : [username]);
    if (!user) return unknownUser(ctx, username, password);
    await checkUserPassword(ctx, user, password);
    assertCanSignIn(user);
    const device = await resolveSignInDevice(ctx, user, optionalParameter(parameters, 'DEVICE_KEY'));
    return next(ctx, user, device ? { device } : {});
  },
};
