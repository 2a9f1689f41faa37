import { AliasExistsException, InvalidParameterException, NotAuthorizedException } from '../../../generated/cognito-idp/errors.js';
import type { CodeDeliveryDetailsType } from '../../../generated/cognito-idp/shapes.js';
import { aliasExistsMessage, verifiedFlag, type VerifiableAttribute } from '../../../auth/user-attributes.js';
import { EMAIL_FORMAT, PHONE_FORMAT } from '../../../domain/attributes.js';
import type { Services } from '../../../services.js';
import type { UserPoolClientRecord, UserPoolRecord, UserRecord } from '../../../store/ports.js';
import { requireClientById } from '../../lookup.js';
import { validationMessage } from '../../validate.js';
import { resolveUser } from '../../../auth/resolve-user.js';
import { destinationFor, type CodeDestination } from '../../../auth/codes.js';
import { secretHashMatches } from '../../../crypto/secret-hash.js';
import { maskDestination } from '../../../messaging/delivery.js';

/*
 * Helpers shared by the public self-service operations (SignUp, ConfirmSignUp, ForgotPassword,
 * GetUser, UpdateUserAttributes, ...). Texts marked "best guess" have no captured AWS response.
 */

/** The UserNotFoundException text of the client-side operations (captured in many apps). */
export const USER_NOT_FOUND_MESSAGE = 'Username/client id combination not found.';

/** NotAuthorizedException for an attribute the app client may not write (captured text). */
export const UNAUTHORIZED_ATTRIBUTE_MESSAGE = 'A client attempted to write unauthorized attribute';

/** Whether the client answers for unknown users as if they existed (PreventUserExistenceErrors). */
export function hidesUserExistence(client: UserPoolClientRecord): boolean {
  return client.config.PreventUserExistenceErrors === 'ENABLED';
}

/**
 * Checks the SecretHash of a client with secrets, against every active secret and every name the
 * user is known by (what was typed, and the internal username once the user is found). A client
 * without a secret ignores the member. A missing or wrong hash is the same NotAuthorizedException
 * on these operations (InitiateAuth words a missing hash differently).
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html#cognito-user-pools-computing-secret-hash
 */
export function checkSecretHash(client: UserPoolClientRecord, provided: string | undefined, names: readonly string[]): void {
  if (client.secrets.length === 0) return;
  const secrets = client.secrets.map((s) => s.secret);
  const ok = provided !== undefined && names.some((name) => secretHashMatches(secrets, name, client.clientId, provided));
  if (!ok) throw new NotAuthorizedException(`Unable to verify secret hash for client ${client.clientId}`);
}

export interface PublicTarget {
  client: UserPoolClientRecord;
  pool: UserPoolRecord;
  /** The user the `Username` names (username, alias or sub), when there is one. */
  user: UserRecord | undefined;
}

/**
 * The client, pool and user of a public operation that names a user (ConfirmSignUp,
 * ResendConfirmationCode, ForgotPassword, ConfirmForgotPassword), with the SecretHash checked.
 */
export async function publicTarget(
  services: Services,
  clientId: string,
  username: string,
  secretHash: string | undefined,
): Promise<PublicTarget> {
  const { client, pool } = await requireClientById(services, clientId);
  const user = await resolveUser(services, pool, username);
  checkSecretHash(client, secretHash, user ? [username, user.username] : [username]);
  return { client, pool, user };
}

/**
 * Where a sign-up confirmation code goes: the auto-verified attributes the user has, the phone
 * first. The Developer Guide: "If a user signs up with both a phone number and an email address,
 * and your user pool settings require verification of both attributes, Amazon Cognito sends a
 * verification code to the phone number through SMS message."
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-email-phone-verification.html
 */
export function signUpDestination(pool: UserPoolRecord, user: UserRecord): CodeDestination | undefined {
  const auto = pool.config.AutoVerifiedAttributes ?? [];
  if (auto.includes('phone_number')) {
    const to = destinationFor(user, 'phone_number');
    if (to) return to;
  }
  if (auto.includes('email')) return destinationFor(user, 'email');
  return undefined;
}

/**
 * The CodeDeliveryDetails a client that hides user existence answers for a user it will not send
 * to: shaped like a real delivery, chosen by the format of what was typed and by the pool's
 * settings (Developer Guide, "Managing error responses"). Nothing is sent.
 */
export function simulatedDelivery(pool: UserPoolRecord, username: string, purpose: 'signup' | 'recovery'): CodeDeliveryDetailsType {
  let sms = PHONE_FORMAT.test(username);
  if (!sms && !EMAIL_FORMAT.test(username)) {
    if (purpose === 'signup') {
      const auto = pool.config.AutoVerifiedAttributes ?? [];
      sms = auto.includes('phone_number') && !auto.includes('email');
    } else {
      const first = [...(pool.config.AccountRecoverySetting?.RecoveryMechanisms ?? [])].sort((a, b) => a.Priority - b.Priority)[0];
      sms = first?.Name === 'verified_phone_number';
    }
  }
  if (sms) {
    const phone = PHONE_FORMAT.test(username) ? username : '+10000000000';
    return { Destination: maskDestination('SMS', phone), DeliveryMedium: 'SMS', AttributeName: 'phone_number' };
  }
  const email = EMAIL_FORMAT.test(username) ? username : `${username}@example.com`;
  return { Destination: maskDestination('EMAIL', email), DeliveryMedium: 'EMAIL', AttributeName: 'email' };
}

/**
 * Whether the app client may write an attribute with a user's token or at sign-up. With
 * WriteAttributes set, exactly those; without, every attribute but the ones Cognito owns: `sub`,
 * the `*_verified` flags and developer-only attributes (which only admin calls may write).
 */
export function clientMayWrite(client: UserPoolClientRecord | undefined, name: string): boolean {
  const allowed = client?.config.WriteAttributes;
  if (allowed) return allowed.includes(name);
  return name !== 'sub' && name !== 'email_verified' && name !== 'phone_number_verified' && !name.startsWith('dev:custom:');
}

/** NotAuthorizedException unless the client may write every one of `names`. */
export function assertClientMayWrite(client: UserPoolClientRecord | undefined, names: Iterable<string>): void {
  for (const name of names) {
    if (!clientMayWrite(client, name)) throw new NotAuthorizedException(UNAUTHORIZED_ATTRIBUTE_MESSAGE);
  }
}

/**
 * Whether the attribute is a sign-in name in this pool: a username attribute (unique among all
 * users, verified or not) or a verified alias (unique among verified values).
 */
export function signInRole(pool: UserPoolRecord, attribute: VerifiableAttribute): 'username' | 'alias' | undefined {
  if ((pool.config.UsernameAttributes ?? []).includes(attribute)) return 'username';
  if ((pool.config.AliasAttributes ?? []).includes(attribute)) return 'alias';
  return undefined;
}

/**
 * Other users who hold `value` as a sign-in name: any holder in email/phone-as-username pools,
 * verified holders in alias pools, nobody elsewhere.
 */
export async function otherSignInHolders(
  services: Services,
  pool: UserPoolRecord,
  user: UserRecord | undefined,
  attribute: VerifiableAttribute,
  value: string,
): Promise<UserRecord[]> {
  const role = signInRole(pool, attribute);
  if (!role) return [];
  const found = await services.store.users.findByAttribute(pool.id, attribute, value, role === 'alias');
  return found.filter((other) => !user || other.usernameKey !== user.usernameKey);
}

/**
 * Makes `attribute` a verified sign-in name of `user`, as ConfirmSignUp and VerifyUserAttribute do.
 * Another user holding it as a verified alias is AliasExistsException, unless `force`
 * (ForceAliasCreation) moves the alias: the other user's value becomes unverified.
 */
export async function claimAlias(
  services: Services,
  pool: UserPoolRecord,
  user: UserRecord,
  attribute: VerifiableAttribute,
  value: string,
  force: boolean,
): Promise<void> {
  const holders = await otherSignInHolders(services, pool, user, attribute, value);
  if (holders.length === 0) return;
  if (!force) throw new AliasExistsException(aliasExistsMessage(attribute));
  const now = services.clock.now();
  for (const other of holders) {
    await services.store.users.update({
      ...other,
      attributes: { ...other.attributes, [verifiedFlag(attribute)]: 'false' },
      updatedAt: now,
    });
  }
}

/** The InvalidParameterException the model validator would give for a missing member. */
export function missingMember(path: string): InvalidParameterException {
  return new InvalidParameterException(validationMessage([`Value at '${path}' failed to satisfy constraint: Member must not be null`]));
}
