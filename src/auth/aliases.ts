import { AliasExistsException, UsernameExistsException } from '../generated/cognito-idp/errors.js';
import type { Services } from '../services.js';
import type { AliasField, UserPoolRecord, UserRecord } from '../store/ports.js';
import { aliasExistsMessage, verifiedFlag } from './user-attributes.js';

const ALIAS_FIELDS: readonly AliasField[] = ['email', 'phone_number', 'preferred_username'];

export interface AliasClaim {
  /** The user after the change (attributes already merged). */
  user: UserRecord;
  /** Attribute names the request writes; only those can start a conflict. */
  written: ReadonlySet<string>;
  /** AdminCreateUser refuses with UsernameExistsException, updates with AliasExistsException. */
  operation: 'create' | 'update';
  /** ForceAliasCreation: move a verified alias from its holder instead of refusing. */
  force: boolean;
}

/**
 * Checks the sign-in values a create or update gives `user` against the other users of the pool,
 * and returns the other users that lose an alias to it (to be saved with the change).
 *
 * - Pools that sign in with email or phone (UsernameAttributes): the value must be unique among all
 *   users, verified or not. AdminCreateUser answers UsernameExistsException (as SignUp does),
 *   updates AliasExistsException, both `An account with the given email already exists.`.
 * - Pools with AliasAttributes: an email or phone is an alias only once verified, so a conflict
 *   exists only when the request makes the value verified and another user holds it verified.
 *   AdminCreateUser refuses with AliasExistsException unless ForceAliasCreation, which moves the
 *   alias (the previous holder's value stays but becomes unverified). AdminUpdateUserAttributes
 *   moves it too: Cognito does so without an error, as reported in
 *   https://github.com/boto/boto3/issues/3213. `preferred_username` is an alias as soon as it is
 *   set, so it must be unique (best guess: AliasExistsException with the same wording).
 */
export async function claimAliases(services: Services, pool: UserPoolRecord, claim: AliasClaim): Promise<UserRecord[]> {
  const { user, written } = claim;
  const usernameAttributes = pool.config.UsernameAttributes ?? [];
  const aliasAttributes = pool.config.AliasAttributes ?? [];
  const moved: UserRecord[] = [];
  const now = services.clock.now();

  for (const field of ALIAS_FIELDS) {
    const value = user.attributes[field];
    if (value === undefined || value === '') continue;
    const flag = field === 'preferred_username' ? undefined : verifiedFlag(field);
    if (!written.has(field) && (flag === undefined || !written.has(flag))) continue;

    if (field !== 'preferred_username' && usernameAttributes.includes(field)) {
      const holders = await others(services, pool, user, field, value, false);
      if (holders.length > 0) {
        const message = aliasExistsMessage(field);
        throw claim.operation === 'create' ? new UsernameExistsException(message) : new AliasExistsException(message);
      }
      continue;
    }
    if (!aliasAttributes.includes(field)) continue;
    if (flag === undefined) {
      const holders = await others(services, pool, user, field, value, false);
      if (holders.length > 0) throw new AliasExistsException(aliasExistsMessage(field));
      continue;
    }
    if (user.attributes[flag] !== 'true') continue;
    const holders = await others(services, pool, user, field, value, true);
    if (holders.length === 0) continue;
    if (claim.operation === 'create' && !claim.force) throw new AliasExistsException(aliasExistsMessage(field));
    for (const holder of holders) {
      moved.push({ ...holder, attributes: { ...holder.attributes, [flag]: 'false' }, updatedAt: now });
    }
  }
  return moved;
}

async function others(
  services: Services,
  pool: UserPoolRecord,
  user: UserRecord,
  field: AliasField,
  value: string,
  verifiedOnly: boolean,
): Promise<UserRecord[]> {
  const found = await services.store.users.findByAttribute(pool.id, field, value, verifiedOnly);
  return found.filter((other) => other.usernameKey !== user.usernameKey);
}
