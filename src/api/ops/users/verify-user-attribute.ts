import { defineOperation } from '../../define-operation.js';
import { CodeMismatchException } from '../../../generated/cognito-idp/errors.js';
import { authenticateAccessToken } from '../../../tokens/access-token.js';
import { consumeCode } from '../../../auth/codes.js';
import { claimAlias } from './shared.js';
import { isVerifiable, verifiedFlag } from '../../../auth/user-attributes.js';

/**
 * VerifyUserAttribute: checks the code sent for an email or phone number and marks it verified;
 * a value waiting for verification (AttributesRequireVerificationBeforeUpdate) takes effect now.
 * A verified alias another user holds is AliasExistsException.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_VerifyUserAttribute.html
 */
export const verifyUserAttribute = defineOperation('VerifyUserAttribute', async (input, { services }) => {
  const { pool, user } = await authenticateAccessToken(services, input.AccessToken);
  const name = input.AttributeName;
  // Only email and phone numbers are ever sent codes, so anything else finds no code to match.
  await consumeCode(services, pool, user, `verify:${name}`, input.Code);
  const value = isVerifiable(name) ? (user.extra.pending?.[name] ?? user.attributes[name]) : undefined;
  if (!isVerifiable(name) || value === undefined) {
    throw new CodeMismatchException('Invalid verification code provided, please try again.');
  }
  await claimAlias(services, pool, user, name, value, false);

  const { [name]: _applied, ...pending } = user.extra.pending ?? {};
  const { pending: _previous, ...extra } = user.extra;
  await services.store.users.update({
    ...user,
    attributes: { ...user.attributes, [name]: value, [verifiedFlag(name)]: 'true' },
    extra: Object.keys(pending).length > 0 ? { ...extra, pending } : extra,
    updatedAt: services.clock.now(),
  });
  return {};
});
