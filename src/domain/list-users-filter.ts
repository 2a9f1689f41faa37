import type { SearchableField, UserFilter } from '../store/ports.js';
import { InvalidParameterException } from '../generated/cognito-idp/errors.js';

/**
 * ListUsers `Filter` parsing: `AttributeName Filter-Type "AttributeValue"` (ListUsersRequest.Filter
 * documentation; reference §5(g)).
 *
 * Messages:
 * - `Error while parsing filter.` — captured from real Cognito for a malformed filter
 *   (https://github.com/aws/aws-sdk-php/issues/1088: `{"__type":"InvalidParameterException",
 *   "message":"Error while parsing filter."}`).
 * - `Invalid search attribute: custom:foo` — best guess: the wording moto and cognito-local both use
 *   for a non-searchable attribute; no captured response was found.
 */

/** How each searchable attribute's value is normalised before it reaches the store. */
type Normalisation = 'lower' | 'upper' | 'exact' | 'username';

const SEARCHABLE: ReadonlyMap<string, Normalisation> = new Map<SearchableField, Normalisation>([
  // Case-sensitive unless the pool's usernames are case-insensitive (UsernameConfiguration).
  ['username', 'username'],
  // "All searches are case-insensitive" except where the documentation says otherwise.
  ['email', 'lower'],
  ['name', 'lower'],
  ['given_name', 'lower'],
  ['family_name', 'lower'],
  ['preferred_username', 'lower'],
  // Documented as case-insensitive; the stored statuses are upper case (UserStatusType).
  ['cognito:user_status', 'upper'],
  // Documented as case-sensitive: `Enabled` or `Disabled`, exactly.
  ['status', 'exact'],
  // Digits and `+` only, and a UUID: nothing to fold.
  ['phone_number', 'exact'],
  ['sub', 'exact'],
]);

/**
 * Name, operator, then a double-quoted value in which `\` escapes the next character. Whitespace
 * around the operator is optional and surrounding whitespace is ignored, as the documented examples
 * (`family_name = \"Reddy\"`) and common client code (`email="x"`) both occur.
 */
const FILTER = /^\s*([^\s=^"]+)\s*(\^=|=)\s*"((?:[^"\\]|\\.)*)"\s*$/su;

function isSearchable(name: string): name is SearchableField {
  return SEARCHABLE.has(name);
}

/**
 * Parses a ListUsers filter into the store's {@link UserFilter}, with the value already normalised
 * for comparison: lower case for the case-insensitive attributes (and for `username` when the pool's
 * usernames are case-insensitive), upper case for `cognito:user_status`, as given otherwise.
 *
 * @returns undefined for an absent, empty or blank filter, which lists every user.
 * @throws InvalidParameterException `Error while parsing filter.` for a filter not of the form
 *   `name = "value"` / `name ^= "value"`, or `Invalid search attribute: <name>` for an attribute that
 *   can't be searched (custom attributes among them).
 */
export function parseListUsersFilter(filter: string | undefined, options: { usernameCaseSensitive: boolean }): UserFilter | undefined {
  if (filter === undefined || filter.trim() === '') return undefined;
  const match = FILTER.exec(filter);
  const [, name, op, raw] = match ?? [];
  if (name === undefined || raw === undefined || (op !== '=' && op !== '^=')) {
    throw new InvalidParameterException('Error while parsing filter.');
  }
  if (!isSearchable(name)) throw new InvalidParameterException(`Invalid search attribute: ${name}`);
  const value = raw.replace(/\\(.)/gsu, '$1');
  return { field: name, op, value: normalise(SEARCHABLE.get(name) ?? 'exact', value, options) };
}

function normalise(how: Normalisation, value: string, options: { usernameCaseSensitive: boolean }): string {
  switch (how) {
    case 'lower':
      return value.toLowerCase();
    case 'upper':
      return value.toUpperCase();
    case 'username':
      return options.usernameCaseSensitive ? value : value.toLowerCase();
    case 'exact':
      return value;
  }
}
