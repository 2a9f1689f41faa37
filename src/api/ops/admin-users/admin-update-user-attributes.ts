import { defineOperation } from '../../define-operation.js';
import { validateUserAttributes } from '../../../domain/attributes.js';
import { sendCode, type CodeDestination } from '../../../auth/codes.js';
import type { UserRecord } from '../../../store/ports.js';
import { requirePoolUser } from '../../lookup.js';
import { claimAliases } from '../../../auth/aliases.js';
import { checkVerifiedFlagsHaveValues } from './attribute-changes.js';
import { checkDeletable, verifiedFlag } from '../../../auth/user-attributes.js';
import { adminOrigin } from '../../../triggers/events/custom-message.js';

const VERIFIABLE = ['email', 'phone_number'] as const;

/**
 * AdminUpdateUserAttributes: sets (or, with a blank value, removes) user attributes as an
 * administrator.
 *
 * - A new email or phone number is unverified unless the same request sets its `*_verified` flag
 *   to true; when the pool auto-verifies that attribute, a verification code (purpose
 *   `verify:<attribute>`) goes to the new value, unless the flag was set to true.
 * - With UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate naming the
 *   attribute, the new value is held in `extra.pending` and the old one stays in force until the
 *   user verifies the code (VerifyUserAttribute applies it); setting the flag to true in the same
 *   request updates at once without a message.
 * - Sign-in values another user holds: see claimAliases.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminUpdateUserAttributes.html
 */
export const adminUpdateUserAttributes = defineOperation('AdminUpdateUserAttributes', async (input, { services }) => {
  const { pool, user } = await requirePoolUser(services, input.UserPoolId, input.Username);
  const schema = pool.config.SchemaAttributes ?? [];
  const blanks = input.UserAttributes.filter((a) => a.Value === '').map((a) => a.Name);
  const values = validateUserAttributes(
    schema,
    input.UserAttributes.filter((a) => a.Value !== ''),
    'update',
  );
  checkDeletable(schema, blanks);

  const attributes: Record<string, string> = { ...user.attributes, ...values };
  for (const name of blanks) delete attributes[name];
  const written = new Set([...Object.keys(values), ...blanks]);
  const pending: Record<string, string> = { ...user.extra.pending };
  const requireVerification = pool.config.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? [];
  const autoVerified = pool.config.AutoVerifiedAttributes ?? [];
  const codes: CodeDestination[] = [];

  for (const attribute of VERIFIABLE) {
    const flag = verifiedFlag(attribute);
    if (blanks.includes(attribute)) {
      delete attributes[flag];
      delete pending[attribute];
      continue;
    }
    const value = values[attribute];
    if (value === undefined || value === user.attributes[attribute]) continue;
    delete pending[attribute];
    if (values[flag] === 'true') continue;
    const to: CodeDestination = { attribute, medium: attribute === 'email' ? 'EMAIL' : 'SMS', destination: value };
    if (requireVerification.includes(attribute) && user.attributes[attribute]) {
      // The old value (and its verified state) stays until the new one is verified.
      pending[attribute] = value;
      attributes[attribute] = user.attributes[attribute]!;
      if (user.attributes[flag] === undefined) delete attributes[flag];
      else attributes[flag] = user.attributes[flag]!;
      written.delete(attribute);
      codes.push(to);
      continue;
    }
    attributes[flag] = 'false';
    if (autoVerified.includes(attribute)) codes.push(to);
  }
  checkVerifiedFlagsHaveValues(attributes, written);

  const { pending: _previous, ...extra } = user.extra;
  const updated: UserRecord = {
    ...user,
    attributes,
    extra: Object.keys(pending).length > 0 ? { ...extra, pending } : extra,
    updatedAt: services.clock.now(),
  };
  const moved = await claimAliases(services, pool, { user: updated, written, operation: 'update', force: false });
  await services.store.transaction(async (store) => {
    await store.users.update(updated);
    for (const other of moved) await store.users.update(other);
  });
  for (const to of codes)
    await sendCode(services, pool, updated, `verify:${to.attribute}`, 'UpdateUserAttribute', to, adminOrigin(input.ClientMetadata));
  return {};
});
