import { defineOperation } from '../../define-operation.js';
import {
  InvalidParameterException,
  UnsupportedUserStateException,
  UsernameExistsException,
} from '../../../generated/cognito-idp/errors.js';
import type { AdminCreateUserRequest } from '../../../generated/cognito-idp/shapes.js';
import type { Services } from '../../../services.js';
import type { UserPoolRecord, UserRecord } from '../../../store/ports.js';
import { validateUserAttributes } from '../../../domain/attributes.js';
import { checkPasswordAgainstPolicy } from '../../../domain/password-policy.js';
import { withNewPassword } from '../../../auth/passwords.js';
import { usernameKey } from '../../../auth/resolve-user.js';
import { newUuid } from '../../../lib/ids.js';
import { requirePool } from '../../lookup.js';
import { toUserType } from '../../user-shapes.js';
import { requireUser } from '../../lookup.js';
import { generateTemporaryPassword } from '../../../auth/temporary-password.js';
import { deliverInvitation, invitationTargets } from '../../../auth/invitation.js';
import { adminOrigin } from '../../../triggers/events/custom-message.js';
import { claimAliases } from '../../../auth/aliases.js';
import { checkVerifiedFlagsHaveValues } from './attribute-changes.js';
import { newUserRecord } from '../../../auth/new-user.js';
import { createUser } from '../../../auth/create-user.js';
import { CLIENT_ID_NOT_APPLICABLE } from '../../../triggers/fire.js';

/** Shapes that make a username look like an email or a phone number (the format itself is checked as an attribute). */
const EMAIL_LIKE = /^[^\s@]+@[^\s@]+$/u;
const PHONE_LIKE = /^\+\d+$/;

/** Cognito's text when AdminCreateUser names an existing username. */
export const USER_ACCOUNT_EXISTS_MESSAGE = 'User account already exists';

/**
 * The attribute an email-or-phone username fills in pools with UsernameAttributes, or Cognito's
 * InvalidParameterException naming what the username should have been.
 */
function usernameAttributeFor(pool: UserPoolRecord, username: string): 'email' | 'phone_number' {
  const allowed = pool.config.UsernameAttributes ?? [];
  if (allowed.includes('email') && username.includes('@')) return 'email';
  if (allowed.includes('phone_number') && username.startsWith('+')) return 'phone_number';
  if (allowed.includes('email') && allowed.includes('phone_number')) {
    throw new InvalidParameterException('Username should be either an email or a phone number.');
  }
  throw new InvalidParameterException(allowed.includes('email') ? 'Username should be an email.' : 'Username should be a phone number.');
}

/** In pools with email or phone aliases, a username may not look like one (it could shadow an alias). */
function checkNotAliasShaped(pool: UserPoolRecord, username: string): void {
  const aliases = pool.config.AliasAttributes ?? [];
  if (aliases.includes('email') && EMAIL_LIKE.test(username)) {
    throw new InvalidParameterException('Username cannot be of email format, since user pool is configured for email alias.');
  }
  if (aliases.includes('phone_number') && PHONE_LIKE.test(username)) {
    throw new InvalidParameterException('Username cannot be of phone number format, since user pool is configured for phone number alias.');
  }
}

/** The temporary password: the one given (checked with AdminCreateUser's policy wording) or a generated one. */
function temporaryPassword(pool: UserPoolRecord, given: string | undefined): string {
  const policy = pool.config.Policies?.PasswordPolicy;
  if (given === undefined || given === '') return generateTemporaryPassword(policy);
  checkPasswordAgainstPolicy(policy, given, 'AdminCreateUser');
  return given;
}

/**
 * MessageAction RESEND: a new temporary password (the one given, or a generated one) for a user
 * who has not signed in yet, and the invitation again.
 */
async function resend(services: Services, pool: UserPoolRecord, input: AdminCreateUserRequest): Promise<UserRecord> {
  const user = await requireUser(services, pool, input.Username);
  if (user.status !== 'FORCE_CHANGE_PASSWORD') {
    // Wording as the emulators that mirror Cognito give it; not confirmed against AWS.
    throw new UnsupportedUserStateException(`Resend not possible. ${input.Username} status is not FORCE_CHANGE_PASSWORD`);
  }
  const password = temporaryPassword(pool, input.TemporaryPassword);
  const targets = invitationTargets(user.attributes, input.DesiredDeliveryMediums);
  const updated = await withNewPassword(services, pool, user, password);
  await services.store.users.update(updated);
  await deliverInvitation(services, pool, updated, password, targets, adminOrigin(input.ClientMetadata));
  return updated;
}

async function create(services: Services, pool: UserPoolRecord, input: AdminCreateUserRequest): Promise<UserRecord> {
  const given = input.UserAttributes ?? [];
  const sub = newUuid();
  let username = input.Username;
  let fromUsername: { Name: string; Value: string } | undefined;
  if ((pool.config.UsernameAttributes ?? []).length > 0) {
    // The sign-in value becomes an attribute and the internal username is the user's sub.
    fromUsername = { Name: usernameAttributeFor(pool, input.Username), Value: input.Username };
    username = sub;
  } else {
    checkNotAliasShaped(pool, input.Username);
    if (await services.store.users.get(pool.id, usernameKey(pool, username))) {
      throw new UsernameExistsException(USER_ACCOUNT_EXISTS_MESSAGE);
    }
  }

  const schema = pool.config.SchemaAttributes ?? [];
  const validated = validateUserAttributes(schema, fromUsername ? [...given, fromUsername] : given, 'create');
  const written = new Set(Object.keys(validated));
  checkVerifiedFlagsHaveValues(validated, written);
  // Required attributes are not enforced: Cognito lets administrators create users without them
  // (the user supplies them when answering NEW_PASSWORD_REQUIRED).
  const attributes: Record<string, string> = { sub, ...validated };

  const password = temporaryPassword(pool, input.TemporaryPassword);
  const targets = input.MessageAction === 'SUPPRESS' ? [] : invitationTargets(attributes, input.DesiredDeliveryMediums);

  const draft = newUserRecord(pool, { username, sub, status: 'FORCE_CHANGE_PASSWORD', attributes, now: services.clock.now() });
  const moved = await claimAliases(services, pool, { user: draft, written, operation: 'create', force: input.ForceAliasCreation === true });
  const user = await createUser(services, pool, {
    source: 'PreSignUp_AdminCreateUser',
    clientId: CLIENT_ID_NOT_APPLICABLE,
    draft,
    password,
    validationData: input.ValidationData,
    clientMetadata: input.ClientMetadata,
    movedAliases: () => Promise.resolve(moved),
  });
  if (!user) throw new UsernameExistsException(USER_ACCOUNT_EXISTS_MESSAGE);
  await deliverInvitation(services, pool, user, password, targets, adminOrigin(input.ClientMetadata));
  return user;
}

/**
 * AdminCreateUser: a user in FORCE_CHANGE_PASSWORD with a temporary password (given or generated)
 * and an invitation carrying it, unless MessageAction is SUPPRESS; RESEND re-invites an existing
 * user. In pools that sign in with email or phone, `Username` must be one and the user's username
 * becomes its `sub`.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html
 */
export const adminCreateUser = defineOperation('AdminCreateUser', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const user = input.MessageAction === 'RESEND' ? await resend(services, pool, input) : await create(services, pool, input);
  return { User: toUserType(user) };
});
