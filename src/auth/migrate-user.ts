import type { AttributeType } from '../generated/cognito-idp/shapes.js';
import { UserLambdaValidationException, UserNotFoundException } from '../generated/cognito-idp/errors.js';
import type { Services } from '../services.js';
import type { UserPoolClientRecord, UserPoolRecord, UserRecord } from '../store/ports.js';
import { validateUserAttributes } from '../domain/attributes.js';
import { newUuid } from '../lib/ids.js';
import { triggerArn } from '../triggers/fire.js';
import { fireUserMigration, type MigratedUser, type UserMigrationCall } from '../triggers/events/user-migration.js';
import { clientOrigin } from '../triggers/events/custom-message.js';
import { claimAliases } from './aliases.js';
import { createUser } from './create-user.js';
import { deliverInvitation, invitationTargets } from './invitation.js';
import { newUserRecord } from './new-user.js';
import { resolveUser } from './resolve-user.js';
import { generateTemporaryPassword } from './temporary-password.js';

/** Whether the pool has a user migration trigger, so that an unknown name is worth asking it about. */
export function migratesUsers(pool: UserPoolRecord): boolean {
  return triggerArn(pool, 'UserMigration') !== undefined;
}

/**
 * What an unknown name gets when the migration handler refused it while user-existence errors are
 * not hidden. The text is Cognito's (reported by apps that match on it); the handler's own
 * message is never shown, so a refusal says no more than an unknown user would.
 */
export function migrationRefused(client: UserPoolClientRecord): UserNotFoundException {
  return new UserNotFoundException(`Exception migrating user in app client ${client.clientId}`);
}

/** The sign-in attribute a typed name is, in pools that sign in with an email or phone (as username or alias). */
function signInAttribute(pool: UserPoolRecord, typed: string): 'email' | 'phone_number' | undefined {
  const names = [...(pool.config.UsernameAttributes ?? []), ...(pool.config.AliasAttributes ?? [])];
  if (typed.includes('@') && names.includes('email')) return 'email';
  if (typed.startsWith('+') && names.includes('phone_number')) return 'phone_number';
  return undefined;
}

/**
 * Creates the user a migration handler described, through the one user-creation seam
 * ({@link createUser}, which runs no pre sign-up trigger for it, as AWS runs none). The internal
 * username is the typed name, or, in pools whose internal usernames are UUIDs (UsernameAttributes)
 * and for an email or phone typed as an alias, the new `sub`; in UsernameAttributes pools the typed
 * email or phone fills its attribute when the handler did not set it. A sign-in keeps the typed
 * password (hashed like any other, without the pool's policy, as Cognito migrates it) and ends
 * CONFIRMED unless the handler asked for RESET_REQUIRED; ForgotPassword creates the user without a
 * password, RESET_REQUIRED.
 *
 * The handler's answer is applied as AdminCreateUser applies the same three members (the trigger's
 * `forceAliasCreation`, `messageAction` and `desiredDeliveryMediums` are AdminCreateUser's
 * `ForceAliasCreation`, `MessageAction` and `DesiredDeliveryMediums`): an email or phone alias
 * another user holds verified is AliasExistsException unless `forceAliasCreation` moves it, and
 * unless `messageAction` is SUPPRESS the user gets the welcome message, the pool's invitation.
 */
async function createMigratedUser(
  services: Services,
  pool: UserPoolRecord,
  call: UserMigrationCall,
  answer: MigratedUser,
): Promise<UserRecord> {
  const typed = call.userName;
  const sub = newUuid();
  const field = signInAttribute(pool, typed);
  const usernameAttributes = pool.config.UsernameAttributes ?? [];
  const given: AttributeType[] = Object.entries(answer.userAttributes).map(([Name, Value]) => ({ Name, Value }));
  const attributes = validateUserAttributes(pool.config.SchemaAttributes ?? [], given, 'create');
  if (field !== undefined && usernameAttributes.includes(field) && attributes[field] === undefined) attributes[field] = typed;
  const draft = newUserRecord(pool, {
    username: usernameAttributes.length > 0 || field !== undefined ? sub : typed,
    sub,
    status: call.password === undefined ? 'RESET_REQUIRED' : (answer.finalUserStatus ?? 'CONFIRMED'),
    attributes,
    now: services.clock.now(),
  });
  if (answer.enableSMSMFA) draft.extra = { ...draft.extra, mfa: { smsEnabled: true, enabled: ['SMS_MFA'] } };
  // Checked before anything is written, as AdminCreateUser checks them: a medium whose attribute
  // is missing, or an alias held by another user, leaves no user behind.
  const targets = answer.messageAction === 'SUPPRESS' ? [] : invitationTargets(draft.attributes, answer.desiredDeliveryMediums);
  const written = new Set(Object.keys(attributes));
  const moved = await claimAliases(services, pool, { user: draft, written, operation: 'create', force: answer.forceAliasCreation });
  const user = await createUser(services, pool, {
    source: call.triggerSource,
    clientId: call.clientId,
    draft,
    password: call.password,
    movedAliases: () => Promise.resolve(moved),
  });
  if (!user) {
    // A concurrent request migrated the same name first: go on with the user it created.
    const existing = await resolveUser(services, pool, typed);
    if (!existing) throw new Error('a migrated user could be neither inserted nor found');
    return existing;
  }
  // The invitation's `{####}` is a temporary password Cognito generates for every new user; the
  // migrated password (or the coming reset) replaces it, so it opens nothing. Never the typed password.
  const placeholder = generateTemporaryPassword(pool.config.Policies?.PasswordPolicy);
  await deliverInvitation(services, pool, user, placeholder, targets, clientOrigin(call.clientId, call.clientMetadata));
  return user;
}

/**
 * Asks the pool's user migration trigger about a name that matches no user, and creates the user
 * it answers with. Returns undefined when the handler refused (threw): the caller answers as for an
 * unknown user. Other failures (timeout, unreachable function, an invalid answer) propagate with
 * Cognito's exception for them.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-import-using-lambda.html
 */
export async function migrateUser(
  services: Services,
  pool: UserPoolRecord,
  client: UserPoolClientRecord,
  call: Omit<UserMigrationCall, 'clientId'>,
): Promise<UserRecord | undefined> {
  let answer: MigratedUser | undefined;
  try {
    answer = await fireUserMigration(services, pool, { ...call, clientId: client.clientId });
  } catch (error) {
    if (error instanceof UserLambdaValidationException) return undefined;
    throw error;
  }
  if (answer === undefined) return undefined;
  return createMigratedUser(services, pool, { ...call, clientId: client.clientId }, answer);
}
