import type { IdentityProviderRecord, UserRecord } from '../../store/ports.js';

/**
 * One entry of a user's `identities` attribute, as Cognito stores it: a JSON array of these, the
 * flags as JSON booleans and the date as epoch milliseconds. ID tokens carry the same list with
 * every value as a string (see {@link identitiesClaim}).
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html
 */
export interface IdentityEntry {
  userId: string;
  providerName: string;
  providerType: string;
  issuer: string | null;
  primary: boolean;
  dateCreated: number;
}

/** The user's identities, in the order they were added; [] when the attribute is absent or not ours. */
export function identitiesOf(user: Pick<UserRecord, 'attributes'>): IdentityEntry[] {
  const raw = user.attributes['identities'];
  if (raw === undefined) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (entry): entry is IdentityEntry =>
        typeof entry === 'object' &&
        entry !== null &&
        typeof (entry as IdentityEntry).userId === 'string' &&
        typeof (entry as IdentityEntry).providerName === 'string',
    );
  } catch {
    return [];
  }
}

/** The attributes with `identities` set to `entries` (removed when there are none). */
export function withIdentities(attributes: Readonly<Record<string, string>>, entries: readonly IdentityEntry[]): Record<string, string> {
  const next = { ...attributes };
  if (entries.length === 0) delete next['identities'];
  else next['identities'] = JSON.stringify(entries);
  return next;
}

/** A new entry for an identity at `provider`. */
export function identityEntry(
  provider: Pick<IdentityProviderRecord, 'name' | 'type'>,
  userId: string,
  primary: boolean,
  now: number,
): IdentityEntry {
  return { userId, providerName: provider.name, providerType: provider.type, issuer: null, primary, dateCreated: now };
}

/** Whether `entries` holds the identity `userId` at the provider named `providerName`. */
export function hasIdentity(entries: readonly IdentityEntry[], providerName: string, userId: string): boolean {
  return entries.some((entry) => entry.providerName === providerName && entry.userId === userId);
}

/**
 * The `identities` claim of an ID token from the attribute's value: the entries with every value
 * but `issuer` as a string, as Cognito's ID tokens show them. Undefined when the value is not a
 * list of identities.
 */
export function identitiesClaim(value: string): unknown[] | undefined {
  const entries = identitiesOf({ attributes: { identities: value } });
  if (entries.length === 0) return undefined;
  return entries.map((entry) => ({
    userId: entry.userId,
    providerName: entry.providerName,
    providerType: entry.providerType,
    issuer: entry.issuer,
    primary: String(entry.primary),
    dateCreated: String(entry.dateCreated),
  }));
}
