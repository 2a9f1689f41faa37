import { InvalidParameterException } from '../../../generated/cognito-idp/errors.js';
import type { Services } from '../../../services.js';
import type { UserPoolClientRecord, UserPoolRecord, UserRecord } from '../../../store/ports.js';
import { authenticateAccessToken } from '../../../tokens/access-token.js';
import { invalidSession, readAuthSession, type AuthSessionState } from '../../../auth/session.js';
import { usernameKey } from '../../../auth/resolve-user.js';

/** Who enrols an authenticator: a signed-in user (AccessToken), or one in the MFA_SETUP challenge (Session). */
export type SoftwareTokenCaller =
  | { readonly kind: 'token'; readonly pool: UserPoolRecord; readonly client: UserPoolClientRecord | undefined; readonly user: UserRecord }
  | {
      readonly kind: 'session';
      readonly pool: UserPoolRecord;
      readonly client: UserPoolClientRecord;
      readonly user: UserRecord;
      readonly state: AuthSessionState;
    };

/**
 * The caller of AssociateSoftwareToken or VerifySoftwareToken, which take an access token or the
 * Session of an MFA_SETUP challenge, not both (best-guess wording when both or neither come). The
 * session names its pool, app client and user; a session of any other challenge, or whose user
 * has gone, is "Invalid session for the user.".
 */
export async function softwareTokenCaller(
  services: Services,
  input: { AccessToken?: string; Session?: string },
): Promise<SoftwareTokenCaller> {
  if (input.AccessToken !== undefined && input.Session !== undefined) {
    throw new InvalidParameterException('Only one of AccessToken or Session can be provided.');
  }
  if (input.AccessToken !== undefined) {
    const { pool, user, claims } = await authenticateAccessToken(services, input.AccessToken);
    return { kind: 'token', pool, client: await services.store.clients.get(pool.id, claims.client_id), user };
  }
  if (input.Session === undefined) throw new InvalidParameterException('Either AccessToken or Session must be provided.');
  const state = readAuthSession(services, input.Session);
  if (state.challenge !== 'MFA_SETUP') throw invalidSession();
  const pool = await services.store.pools.get(state.poolId);
  const client = pool && (await services.store.clients.get(pool.id, state.clientId));
  const user = pool && (await services.store.users.get(pool.id, usernameKey(pool, state.username)));
  if (!pool || !client || !user || user.sub !== state.sub) throw invalidSession();
  return { kind: 'session', pool, client, user, state };
}
