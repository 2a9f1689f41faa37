import { defineOperation } from '../../define-operation.js';
import { AliasExistsException } from '../../../generated/cognito-idp/errors.js';
import type { CodeDeliveryDetailsType } from '../../../generated/cognito-idp/shapes.js';
import { authenticateAccessToken } from '../../../tokens/access-token.js';
import { validateUserAttributes } from '../../../domain/attributes.js';
import { sendCode, type CodeDestination } from '../../../auth/codes.js';
import { assertClientMayWrite, otherSignInHolders, signInRole } from './shared.js';
import { aliasExistsMessage, checkDeletable, isVerifiable, verifiedFlag } from '../../../auth/user-attributes.js';
import { clientOrigin } from '../../../triggers/events/custom-message.js';

/**
 * UpdateUserAttributes: changes the signed-in user's attributes; a blank value deletes one.
 *
 * A new email or phone number becomes unverified and, when the pool auto-verifies it, a code goes
 * to the new value (purpose `verify:<attribute>`, answered by VerifyUserAttribute). When the pool
 * lists the attribute in AttributesRequireVerificationBeforeUpdate and the current value is
 * verified, the current value stays in force (for sign-in and messages) and the new one waits
 * until it is verified. In email/phone-as-username pools a value another user has is
 * AliasExistsException.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserAttributes.html
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-email-phone-verification.html#user-pool-settings-verifications-verify-attribute-updates
 */
export const updateUserAttributes = defineOperation('UpdateUserAttributes', async (input, { services }) => {
  const { pool, user, claims } = await authenticateAccessToken(services, input.AccessToken);
  const client = await services.store.clients.get(pool.id, claims.client_id);
  assertClientMayWrite(
    client,
    input.UserAttributes.map((a) => a.Name),
  );

  const schema = pool.config.SchemaAttributes ?? [];
  const blanks = input.UserAttributes.filter((a) => a.Value === '').map((a) => a.Name);
  checkDeletable(schema, blanks);
  const changes = validateUserAttributes(
    schema,
    input.UserAttributes.filter((a) => a.Value !== ''),
    'update',
  );

  const auto = pool.config.AutoVerifiedAttributes ?? [];
  const keepUntilVerified = pool.config.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? [];
  const attributes = { ...user.attributes };
  const pending = { ...(user.extra.pending ?? {}) };
  const toVerify: CodeDestination[] = [];

  for (const [name, value] of Object.entries(changes)) {
    if (!isVerifiable(name)) continue;
    const flag = verifiedFlag(name);
    if (value === user.attributes[name]) {
      // Setting the current value again cancels a pending change.
      delete pending[name];
      continue;
    }
    if (signInRole(pool, name) === 'username' && (await otherSignInHolders(services, pool, user, name, value)).length > 0) {
      throw new AliasExistsException(aliasExistsMessage(name));
    }
    const keepCurrent =
      keepUntilVerified.includes(name) && auto.includes(name) && user.attributes[name] !== undefined && user.attributes[flag] === 'true';
    if (keepCurrent) {
      pending[name] = value;
    } else {
      attributes[name] = value;
      attributes[flag] = 'false';
      delete pending[name];
    }
    if (auto.includes(name)) toVerify.push({ attribute: name, medium: name === 'email' ? 'EMAIL' : 'SMS', destination: value });
  }
  // Other attributes, and *_verified flags a client may write, go in last so an explicit flag wins.
  for (const [name, value] of Object.entries(changes)) {
    if (!isVerifiable(name)) attributes[name] = value;
  }
  for (const name of blanks) {
    delete attributes[name];
    if (isVerifiable(name)) {
      delete attributes[verifiedFlag(name)];
      delete pending[name];
    }
  }

  const { pending: _previous, ...extra } = user.extra;
  const updated = {
    ...user,
    attributes,
    extra: Object.keys(pending).length > 0 ? { ...extra, pending } : extra,
    updatedAt: services.clock.now(),
  };
  await services.store.users.update(updated);

  const CodeDeliveryDetailsList: CodeDeliveryDetailsType[] = [];
  for (const to of toVerify)
    CodeDeliveryDetailsList.push(
      await sendCode(
        services,
        pool,
        updated,
        `verify:${to.attribute}`,
        'UpdateUserAttribute',
        to,
        clientOrigin(claims.client_id, input.ClientMetadata),
      ),
    );
  return CodeDeliveryDetailsList.length > 0 ? { CodeDeliveryDetailsList } : {};
});
