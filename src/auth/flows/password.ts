import { resolveUser } from '../resolve-user.js';
import { checkSecretHash } from '../steps/secret-hash.js';
import { optionalParameter, requireParameter } from '../steps/parameters.js';
import { signInWithPassword } from '../steps/password-sign-in.js';
import type { AuthFlowHandler } from './types.js';

/**
 * USER_PASSWORD_AUTH (InitiateAuth) and ADMIN_USER_PASSWORD_AUTH / legacy ADMIN_NO_SRP_AUTH
 * (AdminInitiateAuth): the password in clear, checked against the stored argon2id hash.
 *
 * Order: parameters, user resolution (username, alias or sub), SECRET_HASH (of the typed name or
 * the internal username), the user migration trigger or the unknown-user answer, the pre
 * authentication trigger, lockout and password, the user's state, then DEVICE_KEY (a remembered
 * device goes on to DEVICE_SRP_AUTH); see `signInWithPassword`.
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
    return signInWithPassword(ctx, { typed: username, user, password, deviceKey: optionalParameter(parameters, 'DEVICE_KEY') }, next);
  },
};
