import type { AttributeType } from '../../generated/cognito-idp/shapes.js';
import { InvalidParameterException, NotAuthorizedException } from '../../generated/cognito-idp/errors.js';
import type { UserRecord } from '../../store/ports.js';
import { missingRequiredAttributes, validateUserAttributes } from '../../domain/attributes.js';
import { withNewPassword } from '../passwords.js';
import { resolveUser } from '../resolve-user.js';
import { invalidSession, sealAuthSession, spendAuthSession } from '../session.js';
import { optionalParameter, requireParameter } from '../steps/parameters.js';
import { checkSecretHash } from '../steps/secret-hash.js';
import { userDisabled } from '../steps/user-status.js';
import type { AuthContext, AuthOutcome } from '../types.js';
import type { ChallengeHandler } from './types.js';
import { openChallengeSession } from './session.js';

/** How the challenge names attributes, in its parameters and in the answers. */
const PREFIX = 'userAttributes.';

/**
 * The NEW_PASSWORD_REQUIRED challenge for a user signing in with a temporary password. Its
 * parameters are Cognito's: `USER_ID_FOR_SRP`, `requiredAttributes` (a JSON array of
 * `userAttributes.<name>` the schema requires and the user lacks) and `userAttributes` (JSON of the
 * user's attributes without `sub`, the missing required ones as empty strings), as in a captured
 * response and as amazon-cognito-identity-js's `newPasswordRequired` callback reads them.
 */
export function newPasswordRequiredChallenge(ctx: AuthContext, user: UserRecord): AuthOutcome {
  const missing = missingRequiredAttributes(ctx.pool.config.SchemaAttributes ?? [], user.attributes);
  const userAttributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(user.attributes)) if (name !== 'sub') userAttributes[name] = value;
  for (const name of missing) userAttributes[name] = '';
  return {
    kind: 'challenge',
    name: 'NEW_PASSWORD_REQUIRED',
    session: sealAuthSession(ctx.services, { pool: ctx.pool, client: ctx.client, user, challenge: 'NEW_PASSWORD_REQUIRED' }),
    parameters: {
      USER_ID_FOR_SRP: user.username,
      requiredAttributes: JSON.stringify(missing.map((name) => PREFIX + name)),
      userAttributes: JSON.stringify(userAttributes),
    },
  };
}

/** The `userAttributes.<name>` answers, as attributes. */
function attributeAnswers(responses: Readonly<Record<string, string>>): AttributeType[] {
  return Object.entries(responses)
    .filter(([key]) => key.startsWith(PREFIX) && key.length > PREFIX.length)
    .map(([key, value]) => ({ Name: key.slice(PREFIX.length), Value: value }));
}

/**
 * Answers NEW_PASSWORD_REQUIRED: NEW_PASSWORD (held to the pool's policy) and any
 * `userAttributes.<name>` values, which must fill every required attribute the user lacks. The
 * user becomes CONFIRMED and the sign-in goes on. The session stays usable until an answer
 * succeeds, so a refused password can be corrected.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html
 */
export const newPasswordRequired: ChallengeHandler = {
  name: 'NEW_PASSWORD_REQUIRED',
  async respond(ctx, { responses, session }, next) {
    const { services, pool, client } = ctx;
    const state = openChallengeSession(ctx, session, 'NEW_PASSWORD_REQUIRED');
    const username = requireParameter(responses, 'USERNAME');
    const user = await resolveUser(services, pool, username);
    if (!user || user.username !== state.username || user.sub !== state.sub) throw invalidSession();
    checkSecretHash(client, optionalParameter(responses, 'SECRET_HASH'), [username, user.username]);
    const newPassword = requireParameter(responses, 'NEW_PASSWORD');
    if (!user.enabled) throw userDisabled();
    // An administrator may have reset or set the password since the session was issued.
    if (user.status !== 'FORCE_CHANGE_PASSWORD') throw invalidSession();

    const answers = attributeAnswers(responses);
    const writable = client.config.WriteAttributes;
    if (writable && answers.some((a) => !writable.includes(a.Name))) {
      throw new NotAuthorizedException('A client attempted to write unauthorized attribute');
    }
    const schema = pool.config.SchemaAttributes ?? [];
    const attributes = { ...user.attributes, ...validateUserAttributes(schema, answers, 'update') };
    const missing = missingRequiredAttributes(schema, attributes);
    // Cognito's text names the missing attribute (https://github.com/kdgregory/example-cognito-java/issues/1).
    if (missing[0] !== undefined) throw new InvalidParameterException(`Invalid attributes given, ${missing[0]} is missing`);

    const withPassword = await withNewPassword(services, pool, { ...user, attributes }, newPassword, {
      operation: 'RespondToAuthChallenge',
    });
    await spendAuthSession(services, state);
    const confirmed: UserRecord = { ...withPassword, status: 'CONFIRMED' };
    await services.store.users.update(confirmed);
    return next(ctx, confirmed, { tokenSource: 'TokenGeneration_NewPasswordChallenge' });
  },
};
