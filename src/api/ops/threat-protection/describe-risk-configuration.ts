import { defineOperation } from '../../define-operation.js';
import { requireClient, requirePool } from '../../lookup.js';
import { POOL_RISK_CONFIGURATION } from '../../../domain/threat-protection.js';
import { toRiskConfigurationType } from './risk-configuration-shape.js';

/**
 * DescribeRiskConfiguration: the settings SetRiskConfiguration stored for the app client
 * (ClientId) or for the pool (no ClientId); only the IDs when there are none.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeRiskConfiguration.html
 */
export const describeRiskConfiguration = defineOperation('DescribeRiskConfiguration', async (input, { services }) => {
  const pool = await requirePool(services, input.UserPoolId);
  if (input.ClientId !== undefined) await requireClient(services, pool.id, input.ClientId);
  const record = await services.store.riskConfigurations.get(pool.id, input.ClientId ?? POOL_RISK_CONFIGURATION);
  return { RiskConfiguration: toRiskConfigurationType(pool.id, input.ClientId, record) };
});
