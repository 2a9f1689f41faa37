import { defineOperation } from '../../define-operation.js';
import { requirePool } from '../../lookup.js';

/**
 * GetLogDeliveryConfiguration: the pool's log configurations, an empty list when none were set.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetLogDeliveryConfiguration.html
 */
export const getLogDeliveryConfiguration = defineOperation('GetLogDeliveryConfiguration', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  const configurations = (await services.store.logDeliveryConfigurations.get(pool.id)) ?? [];
  return { LogDeliveryConfiguration: { UserPoolId: pool.id, LogConfigurations: configurations } };
});
