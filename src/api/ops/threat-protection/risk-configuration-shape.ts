import type { RiskConfigurationType } from '../../../generated/cognito-idp/shapes.js';
import { epochSeconds } from '../../../lib/clock.js';
import type { RiskConfigurationRecord } from '../../../store/ports.js';

/**
 * The RiskConfigurationType of SetRiskConfiguration and DescribeRiskConfiguration: the pool, the
 * app client when one was named, and the members that are set; without a stored configuration,
 * only the IDs (which is how Terraform's provider tells that none exists).
 */
export function toRiskConfigurationType(
  poolId: string,
  clientId: string | undefined,
  record: RiskConfigurationRecord | undefined,
): RiskConfigurationType {
  return {
    UserPoolId: poolId,
    ...(clientId !== undefined ? { ClientId: clientId } : {}),
    ...record?.config,
    ...(record ? { LastModifiedDate: epochSeconds(record.updatedAt) } : {}),
  };
}
