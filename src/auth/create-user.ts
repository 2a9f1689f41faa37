import type { AttributeType } from '../generated/cognito-idp/shapes.js';
import type { Services } from '../services.js';
import type { UserPoolRecord, UserRecord } from '../store/ports.js';
import { firePreSignUp, type PreSignUpDecision, type PreSignUpSource } from '../triggers/events/pre-sign-up.js';
import type { UserMigrationSource } from '../triggers/events/user-migration.js';
import { confirmUser } from './confirm-user.js';
import { withNewPassword } from './passwords.js';

export interface CreateUserCall {
  /**
   * Why: SignUp (and the managed login sign-up page), AdminCreateUser, federation's first sign-in,
   * or a user migration trigger's answer. A migrated user skips pre sign-up (AWS runs it only for
   * its three PreSignUp_ sources) and keeps its password whatever the pool's policy says.
   */
  source: PreSignUpSource | UserMigrationSource;
  /** The app client, or CLIENT_ID_NOT_APPLICABLE. */
  clientId: string;
  /** The user as the caller made it (see newUserRecord), without a password. */
  draft: UserRecord;
  /** The password to set (already checked against the policy); hashed only once the trigger allowed the user. */
  password?: string | undefined;
  validationData?: readonly AttributeType[] | undefined;
  clientMetadata?: Readonly<Record<string, string>> | undefined;
  /**
   * The other users who lose a sign-in alias to the new user, saved with it in one transaction.
   * Called once the trigger's answer is applied (autoVerifyEmail can make an email an alias).
   */
  movedAliases?: (user: UserRecord) => Promise<UserRecord[]>;
}

/** What a creation without the pre sign-up trigger (a migration) goes on with: nothing changed. */
const NO_PRE_SIGN_UP: PreSignUpDecision = { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false };

function isMigration(source: CreateUserCall['source']): source is UserMigrationSource {
  return source.startsWith('UserMigration_');
}

/**
 * The one way a user is created (SignUp, AdminCreateUser, federation, user migration): runs the
 * pre sign-up trigger first, except for a migrated user (a refusal leaves nothing behind), applies its answer (autoConfirmUser makes a SignUp user CONFIRMED, autoVerifyEmail and
 * autoVerifyPhone mark those attributes verified), sets the password, and inserts the user. A user
 * confirmed by the trigger is then confirmed through {@link confirmUser}, so post confirmation runs
 * as on AWS. Returns undefined when the username is taken (nothing is written); the caller answers
 * with its own exception.
 */
export async function createUser(services: Services, pool: UserPoolRecord, call: CreateUserCall): Promise<UserRecord | undefined> {
  const { source } = call;
  const migrated = isMigration(source);
  const decision: PreSignUpDecision = migrated
    ? NO_PRE_SIGN_UP
    : await firePreSignUp(services, pool, {
        source,
        clientId: call.clientId,
        user: call.draft,
        validationData: call.validationData,
        clientMetadata: call.clientMetadata,
      });
  const autoConfirmed = decision.autoConfirmUser && source === 'PreSignUp_SignUp';
  let user: UserRecord = {
    ...call.draft,
    status: autoConfirmed ? 'CONFIRMED' : call.draft.status,
    attributes: {
      ...call.draft.attributes,
      ...(decision.autoVerifyEmail ? { email_verified: 'true' } : {}),
      ...(decision.autoVerifyPhone ? { phone_number_verified: 'true' } : {}),
    },
  };
  const moved = (await call.movedAliases?.(user)) ?? [];
  if (call.password !== undefined) {
    user = await withNewPassword(services, pool, user, call.password, { now: user.createdAt, checkPolicy: !migrated });
  }
  const created = user;
  const inserted = await services.store.transaction(async (store) => {
    if (!(await store.users.insert(created))) return false;
    for (const other of moved) await store.users.update(other);
    return true;
  });
  if (!inserted) return undefined;
  if (autoConfirmed) {
    await confirmUser(services, pool, {
      source: 'PostConfirmation_ConfirmSignUp',
      clientId: call.clientId,
      user,
      clientMetadata: call.clientMetadata,
      alreadyStored: true,
    });
  }
  return user;
}
