import { defineOperation } from '../../define-operation.js';
import type { GetUserResponse } from '../../../generated/cognito-idp/shapes.js';
import { authenticateAccessToken } from '../../../tokens/access-token.js';
import { attributeList } from '../../user-shapes.js';

/**
 * GetUser: the signed-in user's attributes (limited to the client's ReadAttributes when it has a
 * list; `sub` always) and MFA settings. MFAOptions is the legacy SMS-only view, present only for a
 * user with SMS MFA; UserMFASettingList and PreferredMfaSetting only when set, as AdminGetUser.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetUser.html
 */
export const getUser = defineOperation('GetUser', async (input, { services }) => {
  const { pool, user, claims } = await authenticateAccessToken(services, input.AccessToken);
  const client = await services.store.clients.get(pool.id, claims.client_id);
  const readable = client?.config.ReadAttributes;
  const names = readable ? Object.keys(user.attributes).filter((name) => name === 'sub' || readable.includes(name)) : undefined;

  const response: GetUserResponse = { Username: user.username, UserAttributes: attributeList(user, names) };
  const mfa = user.extra.mfa;
  const enabled = [...(mfa?.enabled ?? [])];
  if (mfa?.smsEnabled && !enabled.includes('SMS_MFA')) enabled.push('SMS_MFA');
  if (mfa?.totpEnabled && !enabled.includes('SOFTWARE_TOKEN_MFA')) enabled.push('SOFTWARE_TOKEN_MFA');
  if (mfa?.emailEnabled && !enabled.includes('EMAIL_OTP')) enabled.push('EMAIL_OTP');
  if (enabled.length > 0) response.UserMFASettingList = enabled;
  if (mfa?.preferred) response.PreferredMfaSetting = mfa.preferred;
  if (enabled.includes('SMS_MFA') && user.attributes['phone_number']) {
    response.MFAOptions = [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }];
  }
  return response;
});
