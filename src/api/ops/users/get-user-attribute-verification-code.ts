import { defineOperation } from '../../define-operation.js';
import { InvalidParameterException } from '../../../generated/cognito-idp/errors.js';
import { authenticateAccessToken } from '../../../tokens/access-token.js';
import { sendCode } from '../../../auth/codes.js';
import { isVerifiable } from '../../../auth/user-attributes.js';
import { clientOrigin } from '../../../triggers/events/custom-message.js';

/**
 * GetUserAttributeVerificationCode: (re)sends a verification code for the user's email or phone
 * number, to the value waiting for verification if there is one. Five an hour per attribute, then
 * LimitExceededException. Whether the pool auto-verifies the attribute does not matter here.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetUserAttributeVerificationCode.html
 */
export const getUserAttributeVerificationCode = defineOperation('GetUserAttributeVerificationCode', async (input, { services }) => {
  const { pool, user, claims } = await authenticateAccessToken(services, input.AccessToken);
  const name = input.AttributeName;
  // Both texts are best guesses; no captured response names them.
  if (!isVerifiable(name)) throw new InvalidParameterException(`Invalid attribute name: ${name} cannot be verified.`);
  const value = user.extra.pending?.[name] ?? user.attributes[name];
  if (!value) throw new InvalidParameterException(`User has no attribute ${name}.`);
  const to = { attribute: name, medium: name === 'email' ? 'EMAIL' : 'SMS', destination: value } as const;
  return {
    CodeDeliveryDetails: await sendCode(
      services,
      pool,
      user,
      `verify:${name}`,
      'VerifyUserAttribute',
      to,
      clientOrigin(claims.client_id, input.ClientMetadata),
    ),
  };
});
