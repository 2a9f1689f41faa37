import type { Services } from '../services.js';
import type { UserPoolRecord, UserRecord } from '../store/ports.js';
import { firePostConfirmation, type PostConfirmationSource } from '../triggers/events/post-confirmation.js';

export interface ConfirmUserCall {
  /** Why: a sign-up confirmed (ConfirmSignUp, AdminConfirmSignUp, pre sign-up's autoConfirmUser) or a password reset. */
  source: PostConfirmationSource;
  /** The app client, or CLIENT_ID_NOT_APPLICABLE. */
  clientId: string;
  /** The user with the caller's changes (verified attributes, new password); made CONFIRMED here. */
  user: UserRecord;
  clientMetadata?: Readonly<Record<string, string>> | undefined;
  /** The user was stored CONFIRMED already (created so by pre sign-up's autoConfirmUser). */
  alreadyStored?: boolean;
}

/**
 * The one way a user becomes confirmed: stores it CONFIRMED, then runs the post confirmation
 * trigger. A failing trigger throws Cognito's exception to the caller but the user stays
 * confirmed, as on AWS.
 */
export async function confirmUser(services: Services, pool: UserPoolRecord, call: ConfirmUserCall): Promise<UserRecord> {
  let user = call.user;
  if (!call.alreadyStored) {
    user = { ...user, status: 'CONFIRMED', updatedAt: services.clock.now() };
    await services.store.users.update(user);
  }
  await firePostConfirmation(services, pool, { source: call.source, clientId: call.clientId, user, clientMetadata: call.clientMetadata });
  return user;
}
