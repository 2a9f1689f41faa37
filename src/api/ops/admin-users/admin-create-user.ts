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
import { OTP_ATTRIBUTE, passwordlessFactors } from '../../../auth/passwordless.js';

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
 * A new user's password, or none: the TemporaryPassword given; none when it is left out (or blank)
 * and the pool has passwordless sign-in ("If you don't specify a value, Amazon Cognito generates
 * one for you unless you have passwordless options active for your user pool"), as long as the user
 * has somewhere to receive a sign-in code ("You must also provide an email address or phone number
 * when you expect the user to do passwordless sign-in [...] when you don't submit a
 * TemporaryPassword"); else a generated one.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html#CognitoUserPools-AdminCreateUser-request-TemporaryPassword
 */
function newUserPassword(
  pool: UserPoolRecord,
  given: string | undefined,
  attributes: Readonly<Record<string, string>>,
): string | undefined {
  const factors = passwordlessFactors(pool);
  if ((given !== undefined && given !== '') || factors.length === 0) return temporaryPassword(pool, given);
  if (!factors.some((factor) => attributes[OTP_ATTRIBUTE[factor]])) {
    // Best guess at the text; the rule is the documentation's.
    throw new InvalidParameterException(
      factors.includes('SMS_OTP') && factors.includes('EMAIL_OTP')
        ? 'Email or phone_number is required for a user without a password.'
        : factors.includes('EMAIL_OTP')
          ? 'Email is required for a user without a password.'
          : 'Phone_number is required for a user without a password.',
    );
  }
  return undefined;
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

  const password = newUserPassword(pool, input.TemporaryPassword, attributes);
  // The invitation carries the temporary password; a user without one is not sent an invitation.
  const targets =
    input.MessageAction === 'SUPPRESS' || password === undefined ? [] : invitationTargets(attributes, input.DesiredDeliveryMediums);

  // "If the user has a password, they will be in the FORCE_CHANGE_PASSWORD state until they sign in
  // and set their password" (AdminCreateUser); a user created without one is confirmed, as created
  // users are ("Imported and created users are already confirmed, but they must create their
  // password the first time they sign in", developer guide, "Signing up and confirming user
  // accounts", https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html),
  // and signs in with a code; ChangePassword without PreviousPassword can give them a password later.
  const status = password === undefined ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD';
  const draft = newUserRecord(pool, { username, sub, status, attributes, now: services.clock.now() });
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
  if (password !== undefined) await deliverInvitation(services, pool, user, password, targets, adminOrigin(input.ClientMetadata));
  return user;
}

/**
 * AdminCreateUser: a user in FORCE_CHANGE_PASSWORD with a temporary password (given or generated)
 * and an invitation carrying it, unless MessageAction is SUPPRESS, or, in a pool with passwordless
 * sign-in and no TemporaryPassword, a CONFIRMED user without a password; RESEND re-invites an existing
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
