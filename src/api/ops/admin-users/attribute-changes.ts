import type { SchemaAttributeType } from '../../../generated/cognito-idp/shapes.js';
import { InvalidParameterException } from '../../../generated/cognito-idp/errors.js';
import { requiredAttributesMessage } from '../../../domain/attributes.js';

/**
 * Checks that each named attribute may be removed from a user (AdminDeleteUserAttributes, or a
 * blank value in AdminUpdateUserAttributes): it is in the schema, mutable, not `sub`, not required.
 *
 * Schema problems use the `user.<name>: <problem>\n` lines of attribute updates, all listed in one
 * message; a required attribute uses the schema's `<name>: The attribute is required\n` text (a best
 * guess for deletions: no captured response).
 */
export function checkDeletable(schema: readonly SchemaAttributeType[], names: readonly string[]): void {
  const byName = new Map(schema.map((a) => [a.Name ?? '', a]));
  const problems: string[] = [];
  const required: string[] = [];
  for (const name of names) {
    const attribute = byName.get(name);
    if (!attribute) problems.push(`user.${name}: Attribute does not exist in the schema.\n`);
    else if (name === 'sub' || attribute.Mutable === false) problems.push(`user.${name}: Attribute cannot be updated.\n`);
    else if (attribute.Required === true) required.push(name);
  }
  if (problems.length > 0) throw new InvalidParameterException(problems.join(''));
  if (required.length > 0) throw new InvalidParameterException(requiredAttributesMessage(required));
}

/** The verified flag that goes with a verifiable attribute. */
export function verifiedFlagOf(attribute: 'email' | 'phone_number'): 'email_verified' | 'phone_number_verified' {
  return attribute === 'email' ? 'email_verified' : 'phone_number_verified';
}

/** A `*_verified` flag needs its attribute (best-guess wording, as cognito-local words it). */
export function checkVerifiedFlagsHaveValues(attributes: Readonly<Record<string, string>>, written: ReadonlySet<string>): void {
  if (written.has('email_verified') && !attributes['email']) {
    throw new InvalidParameterException('Email is required to verify/un-verify an email');
  }
  if (written.has('phone_number_verified') && !attributes['phone_number']) {
    throw new InvalidParameterException('Phone Number is required to verify/un-verify a phone number');
  }
}
