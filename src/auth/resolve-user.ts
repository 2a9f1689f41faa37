import type { Services } from '../services.js';
import type { UserPoolRecord, UserRecord } from '../store/ports.js';

/** The lookup key of a username: lowercased in case-insensitive pools. */
export function usernameKey(pool: UserPoolRecord, username: string): string {
  // Pools created without UsernameConfiguration are case sensitive, as in Cognito's API.
  return pool.config.UsernameConfiguration?.CaseSensitive === false ? username.toLowerCase() : username;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Finds the user a sign-in name or an admin `Username` refers to, as Cognito resolves it: the
 * username itself; then, in pools that sign in with email or phone (UsernameAttributes), that
 * attribute; in pools with AliasAttributes, a verified email or phone, or preferred_username; and
 * last the user's `sub`.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html#user-pool-settings-aliases
 */
export async function resolveUser(services: Services, pool: UserPoolRecord, name: string): Promise<UserRecord | undefined> {
  const users = services.store.users;
  const direct = await users.get(pool.id, usernameKey(pool, name));
  if (direct) return direct;

  const usernameAttributes = pool.config.UsernameAttributes ?? [];
  const aliasAttributes = pool.config.AliasAttributes ?? [];
  if (name.includes('@') && (usernameAttributes.includes('email') || aliasAttributes.includes('email'))) {
    const found = await users.findByAttribute(pool.id, 'email', name, !usernameAttributes.includes('email'));
    if (found[0]) return found[0];
  }
  if (name.startsWith('+') && (usernameAttributes.includes('phone_number') || aliasAttributes.includes('phone_number'))) {
    const found = await users.findByAttribute(pool.id, 'phone_number', name, !usernameAttributes.includes('phone_number'));
    if (found[0]) return found[0];
  }
  if (aliasAttributes.includes('preferred_username')) {
    const found = await users.findByAttribute(pool.id, 'preferred_username', name, false);
    if (found[0]) return found[0];
  }
  if (UUID.test(name)) return users.getBySub(pool.id, name.toLowerCase());
  return undefined;
}
