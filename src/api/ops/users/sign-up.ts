import { defineOperation } from '../../define-operation.js';
import { InvalidParameterException, NotAuthorizedException, UsernameExistsException } from '../../../generated/cognito-idp/errors.js';
import type { UserPoolRecord, UserRecord } from '../../../store/ports.js';
import { requireClientById } from '../../lookup.js';
import { usernameKey } from '../../../auth/resolve-user.js';
import { sendCode } from '../../../auth/codes.js';
import { createUser } from '../../../auth/create-user.js';
import { claimAliases } from '../../../auth/aliases.js';
import { offersSignUpSession, sealSignUpSession } from '../../../auth/sign-up-session.js';
import { checkPasswordAgainstPolicy } from '../../../domain/password-policy.js';
import { missingRequiredAttributes, requiredAttributesMessage, validateUserAttributes } from '../../../domain/attributes.js';
import { newUuid } from '../../../lib/ids.js';
import { assertClientMayWrite, checkSecretHash, missingMember, signUpDestination } from './shared.js';
import { newUserRecord } from '../../../auth/new-user.js';
import { EMAIL_FORMAT, PHONE_FORMAT } from '../../../domain/attributes.js';
import { aliasExistsMessage, type VerifiableAttribute } from '../../../auth/user-attributes.js';
import { clientOrigin } from '../../../triggers/events/custom-message.js';
import { checkNewPassword } from '../../../auth/threat-protection.js';
import { passwordlessFactors } from '../../../auth/passwordless.js';

/**
 * In email/phone-as-username pools the Username must be an email or phone number (it becomes that
 * attribute, and the internal username is a new UUID). In alias pools it must not look like one.
 * Returns the attribute the Username fills, if any.
 */
function usernameAttribute(pool: UserPoolRecord, username: string): VerifiableAttribute | undefined {
  const usernameAttributes = pool.config.UsernameAttributes ?? [];
  if (usernameAttributes.length > 0) {
    if (usernameAttributes.includes('email') && EMAIL_FORMAT.test(username)) return 'email';
    if (usernameAttributes.includes('phone_number') && PHONE_FORMAT.test(username)) return 'phone_number';
    // "Username should be an email." and the two-attribute text are captured; the phone-only text
    // is a best guess in the same form.
    if (!usernameAttributes.includes('phone_number')) throw new InvalidParameterException('Username should be an email.');
    if (!usernameAttributes.includes('email')) throw new InvalidParameterException('Username should be a phone number.');
    throw new InvalidParameterException('Username should be either an email or a phone number.');
  }
  const aliases = pool.config.AliasAttributes ?? [];
  if (aliases.includes('email') && EMAIL_FORMAT.test(username)) {
    throw new InvalidParameterException('Username cannot be of email format, since user pool is configured for email alias.');
  }
  if (aliases.includes('phone_number') && PHONE_FORMAT.test(username)) {
    // Best guess, by analogy with the captured email text.
    throw new InvalidParameterException('Username cannot be of phone number format, since user pool is configured for phone number alias.');
  }
  return undefined;
}

/** The verified flags a new user carries (set by the pre sign-up trigger's autoVerify answers). */
function verifiedFlags(user: UserRecord): Set<string> {
  return new Set(['email_verified', 'phone_number_verified'].filter((flag) => user.attributes[flag] === 'true'));
}

/**
 * SignUp: a new UNCONFIRMED user, with a confirmation code sent to the auto-verified email or
 * phone number (the phone when both are). Without auto-verified attributes no code is sent and
 * the response has no CodeDeliveryDetails. The pre sign-up trigger runs first (see createUser); a
 * user it auto-confirms is CONFIRMED at once and gets no code.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SignUp.html
 */
export const signUp = defineOperation('SignUp', async (input, { services, sourceIp }) => {
  const { client, pool } = await requireClientById(services, input.ClientId);
  if (pool.config.AdminCreateUserConfig?.AllowAdminCreateUserOnly) {
    throw new NotAuthorizedException('SignUp is not permitted for this user pool');
  }
  checkSecretHash(client, input.SecretHash, [input.Username]);
  // The model makes Password optional for passwordless pools; everywhere else AWS answers its
  // validation text, which Amplify matches on.
  const password = input.Password;
  if (password === undefined && passwordlessFactors(pool).length === 0) throw missingMember('password');

  const given = input.UserAttributes ?? [];
  assertClientMayWrite(
    client,
    given.map((a) => a.Name),
  );
  const schema = pool.config.SchemaAttributes ?? [];
  const attributes = validateUserAttributes(schema, given, 'create');

  const filled = usernameAttribute(pool, input.Username);
  const sub = newUuid();
  if (filled) attributes[filled] = input.Username;
  const missing = missingRequiredAttributes(schema, attributes);
  if (missing.length > 0) throw new InvalidParameterException(requiredAttributesMessage(missing));

  const username = filled ? sub : input.Username;
  const key = usernameKey(pool, username);
  if (filled) {
    const holders = await services.store.users.findByAttribute(pool.id, filled, input.Username, false);
    if (holders.length > 0) throw new UsernameExistsException(aliasExistsMessage(filled));
  } else if (await services.store.users.get(pool.id, key)) {
    throw new UsernameExistsException('User already exists');
  }

  // The policy is checked before the (slow) hash so a weak password costs nothing.
  if (password !== undefined) {
    checkPasswordAgainstPolicy(pool.config.Policies?.PasswordPolicy, password, 'SignUp');
    await checkNewPassword(services, { pool, clientId: client.clientId, sourceIp, event: 'SIGN_UP', password });
  }

  const draft = newUserRecord(pool, { username, sub, status: 'UNCONFIRMED', attributes, now: services.clock.now() });
  const user = await createUser(services, pool, {
    source: 'PreSignUp_SignUp',
    clientId: client.clientId,
    draft,
    password,
    validationData: input.ValidationData,
    clientMetadata: input.ClientMetadata,
    // An email or phone the trigger auto-verified becomes this user's alias, taken from any holder.
    movedAliases: (created) =>
      claimAliases(services, pool, { user: created, written: verifiedFlags(created), operation: 'update', force: true }),
  });
  if (!user) throw filled ? new UsernameExistsException(aliasExistsMessage(filled)) : new UsernameExistsException('User already exists');

  // The user exists from here on: a code that cannot be sent (rate limit) leaves it UNCONFIRMED,
  // as the API reference says of LimitExceededException.
  const confirmed = user.status === 'CONFIRMED';
  // A user the pre sign-up trigger confirmed gets no confirmation code.
  const to = confirmed ? undefined : signUpDestination(pool, user);
  const CodeDeliveryDetails = to
    ? await sendCode(services, pool, user, 'signup', 'SignUp', to, clientOrigin(input.ClientId, input.ClientMetadata))
    : undefined;
  // A session for ConfirmSignUp, or for USER_AUTH straight away when the user is already confirmed.
  const use = confirmed ? 'sign-in' : 'confirm';
  const Session = offersSignUpSession(client) ? sealSignUpSession(services, { pool, client, user, use }) : undefined;
  return {
    UserConfirmed: confirmed,
    UserSub: sub,
    ...(CodeDeliveryDetails ? { CodeDeliveryDetails } : {}),
    ...(Session ? { Session } : {}),
  };
});
