import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';
import { mfaConfigResponse } from './mfa-config-shape.js';

/**
 * GetUserPoolMfaConfig: the pool's MFA mode and the factors it has turned on.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetUserPoolMfaConfig.html
 */
export const getUserPoolMfaConfig = defineOperation('GetUserPoolMfaConfig', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  return mfaConfigResponse(pool.config);
});
