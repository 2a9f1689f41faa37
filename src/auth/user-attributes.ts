import type { SchemaAttributeType } from '../generated/cognito-idp/shapes.js';
import { InvalidParameterException } from '../generated/cognito-idp/errors.js';
import type { AliasField, UserRecord } from '../store/ports.js';

/** The attributes Cognito verifies with a code, each with its `*_verified` flag. */
export type VerifiableAttribute = 'email' | 'phone_number';
export const VERIFIABLE_ATTRIBUTES: readonly VerifiableAttribute[] = ['email', 'phone_number'];

export function isVerifiable(name: string): name is VerifiableAttribute {
  return name === 'email' || name === 'phone_number';
}

/** The verified flag that goes with a verifiable attribute. */
export function verifiedFlag(attribute: VerifiableAttribute): 'email_verified' | 'phone_number_verified' {
  return attribute === 'email' ? 'email_verified' : 'phone_number_verified';
}

/** Cognito's text for a sign-in value another user holds (SignUp, AdminCreateUser, updates). */
export function aliasExistsMessage(field: AliasField): string {
  return `An account with the given ${field} already exists.`;
}

/**
 * Refuses deleting attributes the schema does not have, cannot change (`sub`, immutable ones) or
 * requires (DeleteUserAttributes, AdminDeleteUserAttributes, or a blank value in an update), one
 * `user.<name>: <problem>` line each, as attribute updates word schema problems. The
 * required-attribute line is a best guess (no captured text).
 */
export function checkDeletable(schema: readonly SchemaAttributeType[], names: readonly string[]): void {
  const byName = new Map(schema.map((a) => [a.Name ?? '', a]));
  const problems: string[] = [];
  for (const name of names) {
    const attribute = byName.get(name);
    if (!attribute) problems.push(`${name}: Attribute does not exist in the schema.`);
    else if (name === 'sub' || attribute.Mutable === false) problems.push(`${name}: Attribute cannot be updated.`);
    else if (attribute.Required === true) problems.push(`${name}: The attribute is required`);
  }
  if (problems.length > 0) throw new InvalidParameterException(problems.map((p) => `user.${p}\n`).join(''));
}

/**
 * The user without the named attributes (not yet saved). Removing `email` or `phone_number` also
 * removes its verified flag and any change of it waiting for verification.
 */
export function withoutAttributes(user: UserRecord, names: readonly string[], now: number): UserRecord {
  const attributes = { ...user.attributes };
  const pending = { ...user.extra.pending };
  for (const name of names) {
    delete attributes[name];
    if (isVerifiable(name)) {
      delete attributes[verifiedFlag(name)];
      delete pending[name];
    }
  }
  const { pending: _previous, ...extra } = user.extra;
  return { ...user, attributes, extra: Object.keys(pending).length > 0 ? { ...extra, pending } : extra, updatedAt: now };
}
